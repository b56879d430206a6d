package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 basics against the real server, once with {@code master_process on} (one worker JVM) and once with
 * {@code master_process off} (one JVM serving in-process): both must behave the same on the wire.
 */
class HttpBasicsIT {
    private static final int INDEX_LENGTH = TestPrefix.INDEX_HTML.getBytes(StandardCharsets.UTF_8).length;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private PierInstance server;
    private int port;

    private void serve(boolean masterProcess) {
        port = Ports.free();
        server = pier.newInstance().writeConf(Confs.basic(port, 1, masterProcess, false)).start();
    }

    /** The pids that may serve: the workers with a master, the single process without. */
    private List<Long> servingPids(boolean masterProcess) {
        return masterProcess ? server.awaitWorkers(1, Duration.ofSeconds(20)).stream().map(ProcessHandle::pid).toList()
                : List.of(server.masterPid());
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void staticIndexPage(boolean masterProcess) {
        serve(masterProcess);

        HttpResponse r = RawHttp.get(port, "/");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(TestPrefix.INDEX_HTML);
        assertThat(r.header("Content-Length")).contains(Integer.toString(INDEX_LENGTH));
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(RawHttp.get(port, "/index.html").bodyText()).isEqualTo(TestPrefix.INDEX_HTML);
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void returnText(boolean masterProcess) {
        serve(masterProcess);

        HttpResponse r = RawHttp.get(port, "/hello");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("hello\n");
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void missingFileIs404(boolean masterProcess) {
        serve(masterProcess);

        HttpResponse r = RawHttp.get(port, "/no-such-file.html");

        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.header("Server")).contains("pier/0.1.0");
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void postToStaticFileIs405(boolean masterProcess) {
        serve(masterProcess);

        try (RawHttp c = RawHttp.connect(port)) {
            HttpResponse r = c.send(RawHttp.request("POST", "/index.html", "Content-Length: 3", "Connection: close")
                    + "abc").read();
            assertThat(r.status()).as(r.toString()).isEqualTo(405);
        }
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void headHasHeadersButNoBody(boolean masterProcess) {
        serve(masterProcess);

        try (RawHttp c = RawHttp.connect(port)) {
            HttpResponse head = c.send(RawHttp.request("HEAD", "/index.html")).readHead();
            assertThat(head.status()).as(head.toString()).isEqualTo(200);
            assertThat(head.header("Content-Length")).contains(Integer.toString(INDEX_LENGTH));
            // had the server sent a body, it would be read here as the next status line
            HttpResponse next = c.send(RawHttp.request("GET", "/hello")).read();
            assertThat(next.status()).as(next.toString()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("hello\n");
        }
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void keepAliveWithPipelinedRequests(boolean masterProcess) {
        serve(masterProcess);

        try (RawHttp c = RawHttp.connect(port)) {
            c.send(RawHttp.request("GET", "/hello") + RawHttp.request("GET", "/index.html"));
            HttpResponse first = c.read();
            HttpResponse second = c.read();
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("hello\n");
            assertThat(first.connectionClose()).isFalse();
            assertThat(second.status()).as(second.toString()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo(TestPrefix.INDEX_HTML);
            assertThat(second.connectionClose()).isFalse();
            HttpResponse third = c.send(RawHttp.request("GET", "/hello", "Connection: close")).read();
            assertThat(third.bodyText()).as("the connection is still usable").isEqualTo("hello\n");
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("closed after Connection: close").isTrue();
        }
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void malformedRequestsAre400AndClose(boolean masterProcess) {
        serve(masterProcess);

        for (String bad : List.of("GARBAGE\r\n\r\n",
                "GET /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n")) {
            try (RawHttp c = RawHttp.connect(port)) {
                HttpResponse r = c.send(bad).read();
                assertThat(r.status()).as("%s -> %s", bad.strip(), r).isEqualTo(400);
                assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("closed after 400").isTrue();
            }
        }
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void serverAndDateHeaders(boolean masterProcess) {
        serve(masterProcess);

        HttpResponse r = RawHttp.get(port, "/hello");

        assertThat(r.header("Server")).contains("pier/0.1.0");
        assertThat(r.headers("Date")).hasSize(1);
        // RFC 9110 §5.6.7: IMF-fixdate, always GMT
        String date = r.header("Date").orElseThrow();
        assertThat(date).endsWith(" GMT");
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(parsed, ZonedDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void addHeaderWithPidNamesTheServingProcess(boolean masterProcess) {
        serve(masterProcess);

        HttpResponse r = RawHttp.get(port, "/index.html");

        assertThat(r.headers("X-Worker")).hasSize(1);
        assertThat(Long.parseLong(r.header("X-Worker").orElseThrow())).isIn(servingPids(masterProcess));
        // add_header belongs to "location /", not to its sibling "location = /hello"
        assertThat(RawHttp.get(port, "/hello").header("X-Worker")).isEmpty();
    }
}
