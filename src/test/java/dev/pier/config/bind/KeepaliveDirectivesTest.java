package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** keepalive_timeout's second argument: the Keep-Alive header's seconds, merged apart from the timeout. */
class KeepaliveDirectivesTest {
    private static LocationConf loc(String http, String location) throws ConfigException {
        return bind("http { " + http + " server { location / { " + location + " } } }").http().servers().getFirst()
                .root().nested().getFirst();
    }

    private static long header(String http, String location) throws ConfigException {
        return loc(http, location).modules().get(KeepaliveConf.class).headerSeconds();
    }

    @Test
    void headerSecondsAndInheritance() throws ConfigException {
        assertThat(header("", "")).isZero();
        assertThat(header("keepalive_timeout 75s 60s;", "")).isEqualTo(60);
        assertThat(header("keepalive_timeout 75 1m;", "")).isEqualTo(60);
        // nginx merges keepalive_header on its own: a timeout alone keeps the inherited header
        LocationConf l = loc("keepalive_timeout 75 60;", "keepalive_timeout 10s;");
        assertThat(l.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(l.modules().get(KeepaliveConf.class).headerSeconds()).isEqualTo(60);
        assertThat(header("keepalive_timeout 75 60;", "keepalive_timeout 10s 0;")).isZero();
    }

    @Test
    void errorsLikeNginx() {
        fails("http { keepalive_timeout 75s soon; }", "\"keepalive_timeout\" directive invalid value", 1);
        fails("http { keepalive_timeout never; }", "\"keepalive_timeout\" directive invalid value", 1);
        fails("http { keepalive_timeout 1 2; keepalive_timeout 3 4; }", "\"keepalive_timeout\" directive is duplicate",
                1);
        fails("http { keepalive_timeout 1 2 3; }", "invalid number of arguments in \"keepalive_timeout\" directive",
                1);
    }
}
