package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** client_body_in_file_only and client_body_in_single_buffer: values, inheritance, errors. */
class ClientBodyModeDirectivesTest {

    private static ClientBodyMode location(String server, String loc) throws ConfigException {
        return bind("http { server { " + server + " location / { " + loc + " } } }").http().servers().getFirst()
                .root().nested().getFirst().modules().get(ClientBodyMode.class);
    }

    @Test
    void defaultsValuesAndInheritance() throws ConfigException {
        assertThat(location("", "")).isEqualTo(new ClientBodyMode(ClientBodyMode.InFileOnly.OFF, false));
        assertThat(location("client_body_in_file_only clean; client_body_in_single_buffer on;", ""))
                .isEqualTo(new ClientBodyMode(ClientBodyMode.InFileOnly.CLEAN, true));
        assertThat(location("client_body_in_file_only on;", "client_body_in_file_only off;").inFileOnly())
                .isEqualTo(ClientBodyMode.InFileOnly.OFF);
    }

    @Test
    void errors() {
        fails("http { client_body_in_file_only yes; }", "invalid value \"yes\"", 1);
        fails("http { client_body_in_single_buffer maybe; }",
                "invalid value \"maybe\" in \"client_body_in_single_buffer\" directive, it must be \"on\" or \"off\"",
                1);
        fails("http { client_body_in_file_only on;\nclient_body_in_file_only on; }",
                "\"client_body_in_file_only\" directive is duplicate", 2);
    }
}
