package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** merge_slashes (http, server), absolute_redirect and port_in_redirect (http, server, location). */
class UriDirectivesTest {
    private static UriConf conf(String http, String server, String location) throws ConfigException {
        return bind("http { " + http + " server { " + server + " location / { " + location + " } } }").http()
                .servers().getFirst().root().nested().getFirst().modules().get(UriConf.class);
    }

    @Test
    void valuesDefaultsAndInheritance() throws ConfigException {
        assertThat(conf("", "", "")).isEqualTo(new UriConf(true, true, true));
        assertThat(conf("merge_slashes off;", "absolute_redirect off;", "port_in_redirect off;"))
                .isEqualTo(new UriConf(false, false, false));
        assertThat(conf("absolute_redirect off;", "", "absolute_redirect on;").absoluteRedirect()).isTrue();
        assertThat(conf("server_name_in_redirect on;", "", "").serverNameInRedirect()).isTrue();
        assertThat(conf("server_name_in_redirect on;", "server_name_in_redirect off;", "").serverNameInRedirect())
                .isFalse();
    }

    @Test
    void errorsLikeNginx() {
        fails("http { server { location / { merge_slashes off; } } }",
                "\"merge_slashes\" directive is not allowed here", 1);
        fails("http { absolute_redirect maybe; }",
                "invalid value \"maybe\" in \"absolute_redirect\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { port_in_redirect on; port_in_redirect off; }", "\"port_in_redirect\" directive is duplicate",
                1);
        fails("http { merge_slashes; }", "invalid number of arguments in \"merge_slashes\" directive", 1);
    }
}
