package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Request-time messages go to the error logs of the location that serves the request, connection-level ones to the
 * default server's, each line with nginx's request context; a level without error_log uses its parent's.
 */
class ErrorLogLevelsTest {
    @TempDir
    Path dir;
    private ErrorLog main;
    private HttpRuntime rt;

    @BeforeEach
    void setUp() throws IOException, ConfigException {
        Files.createDirectories(dir.resolve("www"));
        main = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("main.log")), LogLevel.ERROR), false);
        String conf = """
                http {
                  error_log %1$s/http.log;
                  access_log off;
                  server {
                    server_name example.com;
                    root %1$s/www;
                    error_log %1$s/server.log info;
                    location /a/ { error_log %1$s/a.log; error_log %1$s/a-crit.log crit; }
                    location /b/ { }
                    location /c/ { error_log %1$s/c.log info; return 204; }
                  }
                }
                """.formatted(dir);
        rt = Fixtures.compile(conf, dir, main);
    }

    @AfterEach
    void close() {
        main.close();
    }

    private List<String> lines(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void requestMessagesGoToTheLocationsLogsWithContext() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, "GET /a/missing HTTP/1.1\r\nHost: example.com\r\nReferer: /from\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertThat(Wire.roundTrip(ch, "GET /b/gone HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertFalse(ch.finishAndReleaseAll());
        assertThat(lines("a.log")).singleElement().satisfies(l -> assertThat(l)
                .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[error] \\d+#\\d+: \\*\\d+ .*/www/a/missing.*")
                .endsWith(", client: " + "unix:" + ", server: example.com, request: \"GET /a/missing HTTP/1.1\", "
                        + "host: \"example.com\", referrer: \"/from\""));
        assertThat(lines("a-crit.log")).isEmpty(); // below its level
        // /b/ has no error_log: the server's, which replaced the http level's
        assertThat(lines("server.log")).singleElement().asString().contains("/www/b/gone")
                .contains("request: \"GET /b/gone HTTP/1.1\"");
        assertThat(lines("http.log")).isEmpty();
        assertThat(lines("main.log")).isEmpty();
    }

    @Test
    void requestBodyErrorsGoToTheRequestsLocation() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        Wire.roundTrip(ch, "POST /c/x HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        ch.finishAndReleaseAll();
        assertThat(lines("c.log")).anySatisfy(l -> assertThat(l).contains("[info]")
                .contains("client sent invalid chunked body"));
        assertThat(lines("server.log")).isEmpty();
    }

    /** nginx's info line for each header line ignore_invalid_headers dropped, in order, the request still served. */
    @Test
    void droppedHeaderLinesAreReportedOneByOne() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, "GET /c/x HTTP/1.1\r\nHost: example.com\r\nX.y: 1\r\nX_u: 2\r\n\r\n"))
                .startsWith("HTTP/1.1 204");
        ch.finishAndReleaseAll();
        assertThat(lines("server.log")).hasSize(2).allSatisfy(l -> assertThat(l).contains("[info]")
                .contains(" while reading client request headers, client: "));
        assertThat(lines("server.log").get(0)).contains("client sent invalid header line: \"X.y: 1\"");
        assertThat(lines("server.log").get(1)).contains("client sent invalid header line: \"X_u: 2\"");
    }

    @Test
    void connectionMessagesGoToTheDefaultServersLog() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, "BAD\u0001LINE\r\n\r\n")).startsWith("HTTP/1.1 400");
        ch.finishAndReleaseAll();
        assertThat(lines("server.log")).singleElement().asString().contains("[info]")
                .contains("while reading client request line, client: ");
        assertThat(lines("main.log")).isEmpty();
    }
}
