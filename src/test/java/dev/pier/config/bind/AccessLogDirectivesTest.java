package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** access_log and log_format: values, inheritance, and nginx's error texts. */
class AccessLogDirectivesTest {

    private static List<AccessLogTarget> logs(LocationConf l) {
        return l.modules().get(AccessLogConf.class).logs();
    }

    @Test
    void defaultIsCombinedUnderThePrefix() throws ConfigException {
        ServerConf s = bind("http { server { } }").http().servers().getFirst();
        assertThat(logs(s.root())).singleElement().satisfies(t -> {
            assertThat(t.path()).isEqualTo(Path.of("/opt/pier/logs/access.log"));
            assertThat(t.format()).isEqualTo(LogFormat.COMBINED);
            assertThat(t.bufferSize()).isZero();
        });
    }

    @Test
    void formatsParametersAndInheritance() throws ConfigException {
        PierConfig c = bind("""
                http {
                  log_format main escape=json '{"s":$status,' '"u":"$uri"}';
                  access_log /var/log/a.log main buffer=32k flush=5s if=$arg_log;
                  access_log b.log;
                  server {
                    location /x { access_log off; }
                    location /y { access_log c.log combined; }
                  }
                }""");
        LocationConf srv = c.http().servers().getFirst().root();
        assertThat(logs(srv)).hasSize(2);
        AccessLogTarget a = logs(srv).getFirst();
        assertThat(a.format().text()).isEqualTo("{\"s\":$status,\"u\":\"$uri\"}");
        assertThat(a.format().escape()).isEqualTo(LogFormat.Escape.JSON);
        assertThat(a.bufferSize()).isEqualTo(32 * 1024);
        assertThat(a.flush()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.condition()).contains("$arg_log");
        assertThat(logs(srv).get(1).path()).isEqualTo(Path.of("/opt/pier/b.log"));
        assertThat(logs(srv.nested().getFirst())).isEmpty();
        assertThat(logs(srv.nested().get(1))).singleElement()
                .satisfies(t -> assertThat(t.path()).isEqualTo(Path.of("/opt/pier/c.log")));
        assertThat(c.http().modules().get(LogFormats.class).byName()).containsKeys("main", "combined");
    }

    @Test
    void errorsLikeNginx() {
        fails("http { access_log a.log main; log_format main x; }", "unknown log format \"main\"", 1);
        fails("http { log_format combined x; }", "duplicate \"log_format\" name \"combined\"", 1);
        fails("http { log_format a escape=xml x; }", "unknown log format escaping \"xml\"", 1);
        fails("http { log_format a $nosuch; }", "unknown \"nosuch\" variable", 1);
        fails("http { server { log_format a x; } }", "\"log_format\" directive is not allowed here", 1);
        fails("http { access_log off x; }", "invalid parameter \"x\"", 1);
        fails("http { access_log a.log combined flush=1s; }", "no buffer is defined for access_log \"a.log\"", 1);
        fails("http { access_log a.log combined buffer=x; }", "invalid buffer size \"x\"", 1);
        fails("http { access_log a.log combined buffer=1k flush=x; }", "invalid flush time \"x\"", 1);
        fails("http { access_log a.log combined what; }", "invalid parameter \"what\"", 1);
        fails("http { access_log a.log combined if=$nope; }", "unknown \"nope\" variable", 1);
        fails("http { access_log a.log combined gzip; }", "gzip access logs are not supported", 1);
        fails("access_log a.log;", "\"access_log\" directive is not allowed here", 1);
    }
}
