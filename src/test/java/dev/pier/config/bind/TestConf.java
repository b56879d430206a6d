package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binds configuration text as if it were {@link #FILE}, with a fixed {@link BindEnvironment}. */
final class TestConf {
    static final Path FILE = Path.of("/etc/pier/pier.conf");
    static final Path PREFIX = Path.of("/opt/pier");
    /** 4 CPUs, not root, "localhost" resolves to ::1 then 127.0.0.1 (the first IPv4 wins). */
    static final BindEnvironment ENV = new BindEnvironment(4, false, host -> switch (host) {
        case "localhost" -> List.of(InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.1"));
        case "v6only.test" -> List.of(InetAddress.getByName("::2"));
        default -> throw new UnknownHostException(host);
    });

    private TestConf() {
    }

    static PierConfig bind(String text) throws ConfigException {
        return ConfigBinder.bind(parse(text), PREFIX, FILE, ENV);
    }

    static PierConfig bindAs(String text, BindEnvironment env) throws ConfigException {
        return ConfigBinder.bind(parse(text), PREFIX, FILE, env);
    }

    /** Asserts that binding fails with exactly {@code message} (without the location) at {@code line}. */
    static void fails(String text, String message, int line) {
        assertThatThrownBy(() -> bind(text))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message + " in " + FILE + ":" + line);
    }

    /** Parses {@code text} with the real parser as the file {@link #FILE}; a parse error fails the test. */
    static List<Directive> parse(String text) {
        try {
            return ConfigParser.parseText(text, FILE, null);
        } catch (ConfigException e) {
            throw new AssertionError("parse failed: " + e.getMessage(), e);
        }
    }
}
