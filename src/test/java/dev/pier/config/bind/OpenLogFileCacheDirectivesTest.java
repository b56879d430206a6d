package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** open_log_file_cache and access_log paths with variables: values, defaults, inheritance, nginx's errors. */
class OpenLogFileCacheDirectivesTest {

    private static AccessLogConf conf(LocationConf l) {
        return l.modules().get(AccessLogConf.class);
    }

    @Test
    void valuesDefaultsAndInheritance() throws ConfigException {
        PierConfig c = bind("""
                http {
                  open_log_file_cache max=100 inactive=20s min_uses=2 valid=1m;
                  server {
                    access_log logs/$host.log;
                    location /a { open_log_file_cache max=5; }
                    location /b { open_log_file_cache off; }
                    location /c { }
                  }
                }""");
        LocationConf srv = c.http().servers().getFirst().root();
        assertThat(conf(srv).openLogFileCache()).contains(
                new OpenLogFileCache(100, Duration.ofSeconds(20), 2, Duration.ofMinutes(1)));
        assertThat(conf(srv.nested().getFirst()).openLogFileCache()).contains(new OpenLogFileCache(5,
                OpenLogFileCache.DEFAULT_INACTIVE, 1, OpenLogFileCache.DEFAULT_VALID));
        assertThat(conf(srv.nested().get(1)).openLogFileCache()).isEmpty();
        assertThat(conf(srv.nested().get(2)).openLogFileCache()).isEqualTo(conf(srv).openLogFileCache());
        AccessLogTarget t = conf(srv).logs().getFirst();
        assertThat(t.template()).contains("/opt/pier/logs/$host.log"); // relative: under the prefix, as nginx
        assertThat(conf(srv.nested().get(2)).logs()).containsExactly(t);
        assertThat(conf(bind("http { server { } }").http().servers().getFirst().root()).openLogFileCache())
                .isEqualTo(Optional.empty()); // nginx's default is off
    }

    @Test
    void errorsLikeNginx() {
        fails("http {\n open_log_file_cache inactive=1s; }", "\"open_log_file_cache\" must have \"max\" parameter", 2);
        fails("http { open_log_file_cache max=x; }", "invalid \"open_log_file_cache\" parameter \"max=x\"", 1);
        fails("http { open_log_file_cache max=0; }", "invalid \"open_log_file_cache\" parameter \"max=0\"", 1);
        fails("http { open_log_file_cache max=1 size=2; }", "invalid \"open_log_file_cache\" parameter \"size=2\"", 1);
        fails("http { open_log_file_cache max=1 valid=z; }", "invalid \"open_log_file_cache\" parameter \"valid=z\"", 1);
        fails("http { open_log_file_cache max=1;\n open_log_file_cache off; }",
                "\"open_log_file_cache\" directive is duplicate", 2);
        fails("http { open_log_file_cache; }", "invalid number of arguments in \"open_log_file_cache\" directive", 1);
        fails("http { server {\n access_log logs/$host.log combined buffer=4k; } }",
                "buffered logs cannot have variables in name", 2);
        fails("http { access_log logs/$nosuch.log; }", "unknown \"nosuch\" variable", 1);
    }
}
