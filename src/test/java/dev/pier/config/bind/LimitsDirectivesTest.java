package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts, header buffers and lingering close: nginx's defaults, contexts, inheritance and messages. */
class LimitsDirectivesTest {
    private static LimitsConf location(String http, String server, String location) throws ConfigException {
        return bind("http { " + http + " server { " + server + " location / { " + location + " } } }").http()
                .servers().getFirst().root().nested().getFirst().modules().get(LimitsConf.class);
    }

    @Test
    void defaultsAreNginxs() throws ConfigException {
        assertThat(location("", "", "")).isEqualTo(LimitsConf.DEFAULTS);
        assertThat(LimitsConf.DEFAULTS.maxHeadBytes()).isEqualTo(32 * 1024);
    }

    @Test
    void valuesAndInheritance() throws ConfigException {
        LimitsConf c = location("client_header_timeout 5s; large_client_header_buffers 8 16k; send_timeout 2m;"
                        + " lingering_close always;",
                "ignore_invalid_headers off; underscores_in_headers on; client_header_buffer_size 2k;",
                "client_body_timeout 750ms; reset_timedout_connection on; lingering_time 1m; lingering_timeout 2s;"
                        + " send_timeout 3s;");
        assertThat(c).isEqualTo(new LimitsConf(5000, 2048, 8, 16384, false, true, 750, 3000, true,
                LimitsConf.LingeringClose.ALWAYS, 60_000, 2000));
        assertThat(location("lingering_close off;", "", "").lingeringClose()).isEqualTo(LimitsConf.LingeringClose.OFF);
    }

    @Test
    void errorsLikeNginx() {
        fails("http { client_header_timeout forever; }", "\"client_header_timeout\" directive invalid value", 1);
        fails("http {\nsend_timeout 1s;\nsend_timeout 2s; }", "\"send_timeout\" directive is duplicate", 3);
        fails("http { large_client_header_buffers 0 8k; }", "\"large_client_header_buffers\" directive invalid value",
                1);
        fails("http { large_client_header_buffers 4 0; }", "\"large_client_header_buffers\" directive invalid value",
                1);
        fails("http { large_client_header_buffers 4; }",
                "invalid number of arguments in \"large_client_header_buffers\" directive", 1);
        fails("http { client_header_buffer_size 1x; }", "\"client_header_buffer_size\" directive invalid value", 1);
        fails("http { lingering_close sometimes; }", "invalid value \"sometimes\"", 1);
        fails("http { underscores_in_headers yes; }",
                "invalid value \"yes\" in \"underscores_in_headers\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { server { location / { client_header_timeout 1s; } } }",
                "\"client_header_timeout\" directive is not allowed here", 1);
        fails("http { server { location / { ignore_invalid_headers off; } } }",
                "\"ignore_invalid_headers\" directive is not allowed here", 1);
        fails("send_timeout 1s;", "\"send_timeout\" directive is not allowed here", 1);
    }
}
