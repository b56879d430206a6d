package dev.pier.http;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Keep-alive, pipelining, HTTP/1.0, keepalive_requests/timeout and malformed requests through the whole pipeline. */
class HttpPipelineTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().nest(
            exact("/hello").ret(200, "hello"),
            prefix("/short").keepalive(Duration.ofSeconds(5), 2).ret(200, "s")), "example.com"));

    @Test
    void answersWithNginxHeaders() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, get("/hello"));
        assertThat(res).startsWith("HTTP/1.1 200 OK\r\nServer: pier/0.1.0\r\nDate: ")
                .contains("\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n"
                        + "Connection: keep-alive\r\n\r\nhello");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestsAnsweredInOrderAtEveryFragmentSize() {
        String two = get("/hello") + get("/missing-location");
        String whole = Wire.withoutDate(roundTrip(Wire.channel(RT), two));
        assertThat(whole.indexOf("200 OK")).isLessThan(whole.indexOf("404 Not Found")).isGreaterThanOrEqualTo(0);
        for (int size = 1; size <= two.length(); size++) {
            EmbeddedChannel ch = Wire.channel(RT);
            assertThat(Wire.withoutDate(Wire.fragmented(ch, two, size))).as("fragment size %d", size)
                    .isEqualTo(whole);
            assertThat(ch.isOpen()).isTrue();
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveRequested() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, "GET /hello HTTP/1.0\r\n\r\n")).contains("Connection: close\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());

        ch = Wire.channel(RT);
        assertThat(roundTrip(ch, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK").contains("Connection: keep-alive\r\n");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void connectionCloseFromClientIsHonoured() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get("/hello"));
        assertThat(res).contains("Connection: close").containsOnlyOnce("HTTP/1.1"); // later pipelined one dropped
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void keepaliveRequestsClosesAfterTheLimit() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/short"))).contains("Connection: keep-alive");
        assertThat(roundTrip(ch, get("/short"))).contains("Connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void keepaliveTimeoutClosesIdleConnection() {
        EmbeddedChannel ch = Wire.channel(RT);
        roundTrip(ch, get("/short"));
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void headerTimeoutClosesSilentClient() {
        EmbeddedChannel ch = Wire.channel(RT);
        Wire.fragmented(ch, "GET /hel", 100);
        ch.advanceTimeBy(61, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(Wire.drain(ch)).isEmpty(); // nginx closes without a 408
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void requestBodyIsDiscardedAndConnectionKept() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"
                + "GET /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + get("/hello"));
        assertThat(res.split("HTTP/1.1 200 OK", -1)).hasSize(4);
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    private static void assertError(String request, String status, String title) {
        for (int size : new int[] {1, 3, 7, Integer.MAX_VALUE}) {
            EmbeddedChannel ch = Wire.channel(RT);
            String res = Wire.fragmented(ch, request, Math.min(size, request.length()));
            assertThat(res).as("%s at fragment %d", request, size).startsWith("HTTP/1.1 " + status)
                    .contains("Connection: close\r\n")
                    .endsWith("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                            + "</h1></center>\r\n<hr><center>pier/0.1.0</center>\r\n</body>\r\n</html>\r\n");
            assertThat(ch.isOpen()).isFalse();
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void malformedRequestsGet400AndClose() {
        assertError("GET /hello HTTP/1.1\r\n\r\n", "400", "400 Bad Request");                 // no Host
        assertError("GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", "400", "400 Bad Request");
        assertError("GET /../x HTTP/1.1\r\nHost: a\r\n\r\n", "400", "400 Bad Request");
        assertError("GET /x HTTP/1.1\r\nHost: a..b\r\n\r\n", "400", "400 Bad Request");
        assertError("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400", "400 Bad Request");
        assertError("GET x HTTP/1.1\r\nHost: a\r\n\r\n", "400", "400 Bad Request");
        assertError("GET / HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n", "400", "400 Bad Request");
    }

    @Test
    void tooLongRequestLineIs414() {
        assertError("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "414",
                "414 Request-URI Too Large");
    }

    @Test
    void tooLargeHeadersAre400WithNginxTitle() {
        assertError("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + "c".repeat(40000) + "\r\n\r\n", "400",
                "400 Request Header Or Cookie Too Large");
    }

    @Test
    void absoluteFormTakesHostFromTarget() {
        HttpRuntime rt = Fixtures.runtime(
                serverConf(server().ret(200, "default"), "default.test"),
                serverConf(server().ret(200, "$host"), "other.test"));
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, "GET http://Other.Test:81/x HTTP/1.1\r\nHost: default.test\r\n\r\n"))
                .endsWith("\r\n\r\nother.test");
        assertFalse(ch.finishAndReleaseAll());
    }
}
