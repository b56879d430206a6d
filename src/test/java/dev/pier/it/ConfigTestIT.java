package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pier -t} and start-up with a bad config: nginx's exact messages, with the absolute config path and the line
 * of the offending directive ({@code -c conf/pier.conf} is resolved against the prefix, as nginx does).
 */
class ConfigTestIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void goodConfigIsOk() {
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(Ports.free()));
        String conf = p.prefix().confFile().toString();

        CliResult r = p.run("-t");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderrLines()).as(r.toString()).containsSubsequence(
                "pier: the configuration file " + conf + " syntax is ok",
                "pier: configuration file " + conf + " test is successful");
        assertThat(p.prefix().pidFile()).as("-t starts nothing").doesNotExist();
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("unknown directive", bad("lsten 127.0.0.1:8080;"), "lsten",
                        "unknown directive \"lsten\""),
                Arguments.of("listen in http context", """
                        events { }
                        http {
                            listen 127.0.0.1:8080;
                            server { listen 127.0.0.1:8081; }
                        }
                        """, "listen 127.0.0.1:8080", "\"listen\" directive is not allowed here"),
                Arguments.of("worker_processes with two arguments", """
                        error_log logs/error.log info;
                        worker_processes 1 2;
                        events { }
                        http { server { listen 127.0.0.1:8080; } }
                        """, "worker_processes", "invalid number of arguments in \"worker_processes\" directive"),
                // no newline after the last line: nginx counts lines by LF, so the reported line is the last one
                Arguments.of("missing closing brace",
                        "events { }\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n    }",
                        "    }", "unexpected end of file, expecting \"}\""));
    }

    /** A config with {@code line} inside a server block. */
    private static String bad(String line) {
        return """
                events {
                    worker_connections 16;
                }
                http {
                    server {
                        %s
                        root html;
                    }
                }
                """.formatted(line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigFailsWithFileAndLine(String name, String confText, String lineMarker, String message) {
        PierInstance p = pier.newInstance().writeConf(confText);
        String conf = p.prefix().confFile().toString();
        int line = lineOf(confText, lineMarker);

        CliResult r = p.run("-t");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).as(r.toString()).containsSubsequence(
                "pier: [emerg] " + message + " in " + conf + ":" + line,
                "pier: configuration file " + conf + " test failed");
    }

    @Test
    void badConfigAtStartupStartsNothing() {
        int port = Ports.free();
        String confText = Confs.twoWorkers(port).replace("root html;", "root html;\n        lsten 127.0.0.1:1;");
        PierInstance p = pier.newInstance().writeConf(confText);
        String conf = p.prefix().confFile().toString();

        CliResult r = p.run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).as(r.toString())
                .contains("pier: [emerg] unknown directive \"lsten\" in " + conf + ":" + lineOf(confText, "lsten"));
        assertThat(p.prefix().pidFile()).doesNotExist();
        assertThat(ProcNet.allListening(port)).as("nobody listens on the configured port").isEmpty();
        assertThat(Ports.bindable(port)).isTrue();
        assertThat(PierProcesses.runningUnder(p.prefix().root())).as("no process left behind").isEmpty();
    }

    /** 1-based number of the first line containing {@code marker}. */
    static int lineOf(String text, String marker) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line contains " + marker);
    }
}
