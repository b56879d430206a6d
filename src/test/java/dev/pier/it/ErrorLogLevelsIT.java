package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * error_log at http, server and location levels in the real server: request-time lines land in the serving
 * location's logs with nginx's request context, a level without its own uses its parent's, and USR1 reopens every
 * level's file after {@code mv} (the master prepares the new files for the worker user when it is root).
 */
class ErrorLogLevelsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void linesGoToTheServingLevelsLogsAndSurviveRotation() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes 2;
                error_log logs/error.log info;
                events { worker_connections 64; }
                http {
                    access_log off;
                    error_log logs/http.log;
                    server {
                        listen 127.0.0.1:%d;
                        server_name example.com;
                        error_log logs/server.log;
                        location /a/ { error_log logs/a.log; error_log logs/a-crit.log crit; }
                        location /b/ { }
                    }
                }
                """.formatted(port)).start();
        Path logs = p.prefix().logs();
        assertThat(RawHttp.get(port, "/a/missing").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/b/missing").status()).isEqualTo(404);
        Await.until(Duration.ofSeconds(10), "lines in a.log and server.log",
                () -> !lines(logs.resolve("a.log")).isEmpty() && !lines(logs.resolve("server.log")).isEmpty());
        assertThat(lines(logs.resolve("a.log"))).singleElement().asString()
                .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[error] \\d+#\\d+: \\*?\\d* ?.*a/missing.*")
                .endsWith(", client: 127.0.0.1, server: example.com, request: \"GET /a/missing HTTP/1.1\", "
                        + "host: \"localhost\"");
        assertThat(lines(logs.resolve("server.log"))).singleElement().asString()
                .contains("b/missing").contains("request: \"GET /b/missing HTTP/1.1\"");
        assertThat(logs.resolve("a-crit.log")).exists().isEmptyFile(); // opened, nothing at crit
        assertThat(logs.resolve("http.log")).exists().isEmptyFile(); // every server has its own
        assertThat(lines(logs.resolve("error.log"))).noneMatch(l -> l.contains("missing"));

        Files.move(logs.resolve("a.log"), logs.resolve("a.log.1"));
        assertThat(p.run("-s", "reopen").exitCode()).isZero();
        Await.until(Duration.ofSeconds(10), "a.log recreated", () -> Files.exists(logs.resolve("a.log")));
        assertThat(RawHttp.get(port, "/a/again").status()).isEqualTo(404);
        Await.until(Duration.ofSeconds(10), "a line in the new a.log",
                () -> !lines(logs.resolve("a.log")).isEmpty());
        assertThat(lines(logs.resolve("a.log"))).singleElement().asString().contains("a/again");
        assertThat(lines(logs.resolve("a.log.1"))).singleElement().asString().contains("a/missing");

        p.signal("QUIT");
        assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void everyMainLineGetsTheMessagesOfItsLevel() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes 1;
                error_log logs/error.log;
                error_log logs/notice.log notice;
                error_log logs/crit.log crit;
                events { worker_connections 64; }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:%d;
                        server_name example.com;
                        location /r/ { rewrite_log on; rewrite ^/r/(.*)$ /$1 break; }
                    }
                }
                """.formatted(port)).start();
        Path logs = p.prefix().logs();
        assertThat(RawHttp.get(port, "/r/missing").status()).isEqualTo(404);
        Await.until(Duration.ofSeconds(10), "the 404 line in error.log and notice.log",
                () -> lines(logs.resolve("error.log")).stream().anyMatch(l -> l.contains("/missing"))
                        && lines(logs.resolve("notice.log")).stream().anyMatch(l -> l.contains("/missing\" failed")));
        // notice.log: the rewrite_log notices and the [error]; error.log: the [error] only; crit.log: neither
        assertThat(lines(logs.resolve("notice.log"))).anyMatch(l -> l.contains("[notice]")
                && l.contains("matches \"/r/missing\""));
        assertThat(lines(logs.resolve("error.log"))).noneMatch(l -> l.contains("[notice]"))
                .anyMatch(l -> l.contains("[error]") && l.contains("/missing\" failed"));
        assertThat(lines(logs.resolve("crit.log"))).noneMatch(l -> l.contains("missing"));
        p.signal("QUIT");
        assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();
        // worker and master lines at notice (start, exit) reach notice.log only
        assertThat(lines(logs.resolve("notice.log")).size()).isGreaterThan(lines(logs.resolve("error.log")).size());
    }
}
