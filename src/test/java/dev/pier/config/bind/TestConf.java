package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;
import dev.pier.config.Source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tiny test-only reader from text to {@link Directive} trees (words, "quoted" or 'quoted' words, ;, {, }, #
 * comments; no escapes, no variables checks) so tests read like configs. Line numbers are real.
 */
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

    static List<Directive> parse(String text) {
        List<String> words = new ArrayList<>();
        int wordLine = 1;
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(null, 0));
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ';' || c == '{') {
                Source src = new Source(FILE, wordLine);
                Directive head = new Directive(words.getFirst(), words.subList(1, words.size()), null, src);
                words.clear();
                i++;
                if (c == ';') {
                    stack.peek().children.add(head);
                } else {
                    stack.push(new Frame(head, wordLine));
                }
            } else if (c == '}') {
                Frame f = stack.pop();
                stack.peek().children.add(new Directive(f.head.name(), f.head.args(), f.children, f.head.source()));
                i++;
            } else {
                if (words.isEmpty()) {
                    wordLine = line;
                }
                StringBuilder w = new StringBuilder();
                if (c == '"' || c == '\'') {
                    int end = text.indexOf(c, i + 1);
                    w.append(text, i + 1, end);
                    i = end + 1;
                } else {
                    while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                            && ";{}".indexOf(text.charAt(i)) < 0) {
                        w.append(text.charAt(i++));
                    }
                }
                words.add(w.toString());
            }
        }
        return stack.pop().children;
    }

    private static final class Frame {
        final Directive head;
        final List<Directive> children = new ArrayList<>();

        Frame(Directive head, int line) {
            this.head = head;
        }
    }
}
