package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** error_log at http, server and location: every line of a level kept, nginx's inheritance, nginx's errors. */
class ErrorLogDirectivesTest {

    private static List<ErrorLogConf> logs(LocationConf l) {
        return l.modules().get(LevelErrorLogs.class).logs();
    }

    private static ErrorLogConf file(String path, LogLevel level) {
        return new ErrorLogConf(Optional.of(Path.of(path)), level);
    }

    @Test
    void withoutHttpErrorLogEveryLevelUsesTheMainOne() throws ConfigException {
        PierConfig c = bind("error_log /var/log/main.log warn; http { server { location / { } } }");
        LocationConf srv = c.http().servers().getFirst().root();
        assertThat(logs(srv)).isEmpty(); // empty = the main level's log
        assertThat(logs(srv.nested().getFirst())).isEmpty();
        assertThat(c.main().errorLog()).isEqualTo(file("/var/log/main.log", LogLevel.WARN));
    }

    @Test
    void aLevelsOwnLinesReplaceTheInheritedOnesAndAllAreKept() throws ConfigException {
        PierConfig c = bind("""
                http {
                  error_log http.log notice;
                  server {
                    location /a { error_log /l/a.log info; error_log stderr crit; }
                    location /b { location /b/c { } }
                  }
                  server {
                    error_log /s/two.log;
                    location /d { }
                  }
                }""");
        LocationConf one = c.http().servers().getFirst().root();
        assertThat(logs(one)).containsExactly(file("/opt/pier/http.log", LogLevel.NOTICE));
        assertThat(logs(one.nested().getFirst())).containsExactly(file("/l/a.log", LogLevel.INFO),
                ErrorLogConf.stderr(LogLevel.CRIT));
        assertThat(logs(one.nested().get(1).nested().getFirst())).containsExactly(
                file("/opt/pier/http.log", LogLevel.NOTICE));
        LocationConf two = c.http().servers().get(1).root();
        assertThat(logs(two)).containsExactly(file("/s/two.log", LogLevel.ERROR));
        assertThat(logs(two.nested().getFirst())).containsExactly(file("/s/two.log", LogLevel.ERROR));
    }

    @Test
    void debugMasksMeanDebug() throws ConfigException {
        PierConfig c = bind("http { server { error_log /x.log debug_http; } }");
        assertThat(logs(c.http().servers().getFirst().root())).containsExactly(file("/x.log", LogLevel.DEBUG));
    }

    @Test
    void errorsLikeNginx() {
        fails("http {\n error_log a.log loud; }", "invalid log level \"loud\"", 2);
        fails("http { server { location / {\nerror_log a.log warn error; } } }", "duplicate log level \"error\"", 2);
        fails("http { server { if ($arg_x) {\n error_log a.log; } } }", "\"error_log\" directive is not allowed here", 2);
        fails("http { server {\n error_log syslog:server=x; } }", "\"syslog\" error log is not supported", 2);
        fails("events { error_log a.log; }", "\"error_log\" directive is not allowed here", 1);
        fails("http { error_log; }", "invalid number of arguments in \"error_log\" directive", 1);
    }
}
