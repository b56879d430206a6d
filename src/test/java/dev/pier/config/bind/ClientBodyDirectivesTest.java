package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** client_max_body_size: default 1m, k/m/g suffixes, inherited downwards, nginx's messages. */
class ClientBodyDirectivesTest {
    private static long size(String http, String location) throws ConfigException {
        return bind("http { " + http + " server { location / { " + location + " } } }").http().servers().getFirst()
                .root().nested().getFirst().modules().get(ClientBodyConf.class).clientMaxBodySize();
    }

    @Test
    void valuesDefaultsAndInheritance() throws ConfigException {
        assertThat(size("", "")).isEqualTo(1024 * 1024);
        assertThat(size("client_max_body_size 0;", "")).isZero();
        assertThat(size("client_max_body_size 10k;", "")).isEqualTo(10 * 1024);
        assertThat(size("client_max_body_size 10k;", "client_max_body_size 2g;")).isEqualTo(2L << 30);
        assertThat(size("", "client_max_body_size 512;")).isEqualTo(512);
        assertThat(new ClientBodyConf(0).tooLarge(Long.MAX_VALUE)).isFalse(); // 0 = unlimited
        assertThat(new ClientBodyConf(10).tooLarge(11)).isTrue();
        assertThat(new ClientBodyConf(10).tooLarge(10)).isFalse();
    }

    @Test
    void errorsLikeNginx() {
        fails("http { client_max_body_size lots; }", "\"client_max_body_size\" directive invalid value", 1);
        fails("http { client_max_body_size 1m; client_max_body_size 2m; }",
                "\"client_max_body_size\" directive is duplicate", 1);
        fails("client_max_body_size 1m;", "\"client_max_body_size\" directive is not allowed here", 1);
        fails("http { client_max_body_size; }", "invalid number of arguments in \"client_max_body_size\" directive",
                1);
    }
}
