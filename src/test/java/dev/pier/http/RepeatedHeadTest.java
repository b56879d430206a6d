package dev.pier.http;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.LimitsConf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keep-alive connection repeats most of its head from request to request: the scanner reuses the last head's
 * strings for a line that is byte for byte the same, and the connection its normalized Host. Neither may leak one
 * request's values into another's.
 */
class RepeatedHeadTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().modules(
            ConfModules.defaults(Path.of("/"))).nest(exact("/echo").ret(200, "[$host][$http_x_u][$http_x_y]"))
            .nest(prefix("/t/").ret(200, "[$uri][$args][$request_uri]")), "example.com"));

    private static String echo(EmbeddedChannel ch, String headers) {
        String res = Wire.roundTrip(ch, "GET /echo HTTP/1.1\r\n" + headers + "\r\n");
        assertThat(res).startsWith("HTTP/1.1 200 OK");
        return res.substring(res.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void valuesFollowEachRequestOnOneConnection() {
        EmbeddedChannel ch = Wire.channel(RT);
        String longValue = "v".repeat(300);
        assertThat(echo(ch, "Host: a.example:8080\r\nX-U: 1\r\nX-Y: 2\r\n")).isEqualTo("[a.example][1][2]");
        assertThat(echo(ch, "Host: a.example:8080\r\nX-U: 1\r\nX-Y: 2\r\n")).isEqualTo("[a.example][1][2]");
        assertThat(echo(ch, "Host: a.example:8080\r\nX-U: 3\r\nX-Y: 2\r\n")).isEqualTo("[a.example][3][2]");
        // same length, other bytes; another Host on the same connection
        assertThat(echo(ch, "Host: B.example:8080\r\nX-U: 4\r\nX-Y: 5\r\n")).isEqualTo("[b.example][4][5]");
        // lines move: the same strings at other places
        assertThat(echo(ch, "X-Y: 4\r\nHost: b.example\r\nX-U: 5\r\n")).isEqualTo("[b.example][5][4]");
        // an invalid line (underscores_in_headers off) is dropped and the ones after it shift
        assertThat(echo(ch, "X_Bad: 1\r\nHost: c.example\r\nX-U: 5\r\n")).isEqualTo("[c.example][5][]");
        assertThat(echo(ch, "Host: c.example\r\nX-U: " + longValue + "\r\n"))
                .isEqualTo("[c.example][" + longValue + "][]");
        assertThat(echo(ch, "Host: c.example\r\nX-U: " + longValue + "\r\n"))
                .isEqualTo("[c.example][" + longValue + "][]");
        assertThat(echo(ch, "Host: c.example\r\nX-U:\r\n")).isEqualTo("[c.example][][]");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static String target(EmbeddedChannel ch, String target) {
        String res = Wire.roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
        return res.substring(0, res.indexOf("\r\n")) + " " + res.substring(res.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void targetsFollowEachRequestOnOneConnection() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(target(ch, "/t/a?x=1")).isEqualTo("HTTP/1.1 200 OK [/t/a][x=1][/t/a?x=1]");
        assertThat(target(ch, "/t/a?x=1")).isEqualTo("HTTP/1.1 200 OK [/t/a][x=1][/t/a?x=1]");
        assertThat(target(ch, "/t/a?x=2")).isEqualTo("HTTP/1.1 200 OK [/t/a][x=2][/t/a?x=2]");
        assertThat(target(ch, "/t//b/../%63")).isEqualTo("HTTP/1.1 200 OK [/t/c][][/t//b/../%63]");
        assertThat(target(ch, "/t//b/../%63")).isEqualTo("HTTP/1.1 200 OK [/t/c][][/t//b/../%63]");
        // a bad target after a good one is refused, and the good one is still served after it
        assertThat(target(ch, "/t/../../x")).startsWith("HTTP/1.1 400 ");
        ch = Wire.channel(RT);
        assertThat(target(ch, "/t/a?x=1")).isEqualTo("HTTP/1.1 200 OK [/t/a][x=1][/t/a?x=1]");
        assertThat(target(ch, "/t/%zz")).startsWith("HTTP/1.1 400 ");
        ch = Wire.channel(RT);
        assertThat(target(ch, "/t/a?x=1")).isEqualTo("HTTP/1.1 200 OK [/t/a][x=1][/t/a?x=1]");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aRepeatedTargetIsTheSameString() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        HttpRequest first = scan(scanner, "GET /a?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpRequest second = scan(scanner, "HEAD /a?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(second.uri()).isSameAs(first.uri());
        HttpRequest third = scan(scanner, "GET /a?x=2 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(third.uri()).isEqualTo("/a?x=2");
        String longTarget = "/" + "t".repeat(300);
        HttpRequest fourth = scan(scanner, "GET " + longTarget + " HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpRequest fifth = scan(scanner, "GET " + longTarget + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(fifth.uri()).isEqualTo(longTarget).isNotSameAs(fourth.uri()); // long targets are not kept
    }

    private static HttpRequest scan(RequestHeadScanner scanner, String head) {
        var buf = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        try {
            assertThat(scanner.scan(buf)).isEqualTo(RequestHeadScanner.Status.DONE);
            HttpRequest req = scanner.request();
            scanner.reset();
            return req;
        } finally {
            buf.release();
        }
    }

    @Test
    void aRepeatedLineReusesTheLastHeadsStrings() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        HttpRequest first = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: x/1\r\n\r\n");
        HttpRequest second = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: x/2\r\n\r\n");
        assertThat(second.headers().get("Host")).isSameAs(first.headers().get("Host"));
        assertThat(second.headers().get("User-Agent")).isEqualTo("x/2")
                .isNotSameAs(first.headers().get("User-Agent"));
        String longValue = "v".repeat(300);
        HttpRequest third = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: " + longValue + "\r\n\r\n");
        HttpRequest fourth = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: " + longValue + "\r\n\r\n");
        assertThat(fourth.headers().get("User-Agent")).isEqualTo(longValue) // long values are not kept
                .isNotSameAs(third.headers().get("User-Agent"));
        assertThat(fourth.headers().get("Host")).isSameAs(first.headers().get("Host"));
        // names are AsciiStrings as sent, kept with their hash for the next head's map
        CharSequence name = first.headers().iteratorCharSequence().next().getKey();
        assertThat(name).isInstanceOf(io.netty.util.AsciiString.class).hasToString("Host");
        assertThat(fourth.headers().iteratorCharSequence().next().getKey()).isSameAs(name);
    }

    @Test
    void aLargeHeadsBufferIsNotKeptForTheNextRequest() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 60; i++) {
            head.append("X-H").append(i).append(": ").append("v".repeat(100)).append("\r\n");
        }
        HttpRequest big = scan(scanner, head.append("\r\n").toString());
        assertThat(big.headers().get("X-H59")).hasSize(100);
        assertThat(scanner.capacity()).isZero();
        HttpRequest next = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(next.headers().get("Host")).isEqualTo("a");
        assertThat(next.headers().contains("X-H0")).isFalse();
    }

    @Test
    void whatAnIdleConnectionKeepsIsBounded() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 20; i++) {
            head.append("X-H").append(i).append(": ").append(Integer.toString(i).repeat(100)).append("\r\n");
        }
        String wire = head.append("\r\n").toString();
        HttpRequest first = scan(scanner, wire);
        HttpRequest second = scan(scanner, wire);
        assertThat(second.headers().get("X-H0")).isSameAs(first.headers().get("X-H0"));
        // 2048 characters in all, 32 strings at most: the later lines are made anew each time
        assertThat(second.headers().get("X-H19")).isEqualTo("19".repeat(100))
                .isNotSameAs(first.headers().get("X-H19"));
    }

    @Test
    void aHeadInPiecesKeepsItsBytesWhileOthersUseTheThreadsBuffer() {
        var slow = new RequestHeadScanner(LimitsConf.DEFAULTS);
        var quick = new RequestHeadScanner(LimitsConf.DEFAULTS);
        String slowHead = "GET /slow HTTP/1.1\r\nHost: slow.example\r\nX-U: slow-value\r\n\r\n";
        var buf = Unpooled.buffer();
        try {
            buf.writeCharSequence(slowHead.substring(0, 30), StandardCharsets.ISO_8859_1);
            assertThat(slow.scan(buf)).isEqualTo(RequestHeadScanner.Status.NEED_MORE);
            assertThat(slow.capacity()).isPositive(); // its own copy: the thread's buffer is not held
            // another connection's whole head goes through the thread's buffer meanwhile
            HttpRequest other = scan(quick, "GET /quick HTTP/1.1\r\nHost: quick.example\r\nX-U: other\r\n\r\n");
            assertThat(other.uri()).isEqualTo("/quick");
            assertThat(quick.capacity()).isZero();
            buf.writeCharSequence(slowHead.substring(30), StandardCharsets.ISO_8859_1);
            assertThat(slow.scan(buf)).isEqualTo(RequestHeadScanner.Status.DONE);
            HttpRequest req = slow.request();
            assertThat(req.uri()).isEqualTo("/slow");
            assertThat(req.headers().get("Host")).isEqualTo("slow.example");
            assertThat(req.headers().get("X-U")).isEqualTo("slow-value");
            slow.reset();
            assertThat(slow.capacity()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void aHeadInPiecesKeepsItsLinesWhileOthersUseTheThreadsArray() {
        var slow = new RequestHeadScanner(LimitsConf.DEFAULTS);
        var quick = new RequestHeadScanner(LimitsConf.DEFAULTS);
        String slowHead = "GET /slow HTTP/1.1\r\nHost: slow.example\r\nX-Long-Name: slow-value\r\n\r\n";
        int cut = slowHead.indexOf("X-Long-Name") + 5; // the Host line scanned, the next one begun
        var buf = Unpooled.buffer();
        try {
            buf.writeCharSequence(slowHead.substring(0, cut), StandardCharsets.ISO_8859_1);
            assertThat(slow.scan(buf)).isEqualTo(RequestHeadScanner.Status.NEED_MORE);
            // another connection's head, with its lines elsewhere, goes through the thread's arrays meanwhile
            HttpRequest other = scan(quick, "GET /q HTTP/1.1\r\nA: 1\r\nB: 2\r\nHost: q\r\nC: 3\r\n\r\n");
            assertThat(other.headers().get("Host")).isEqualTo("q");
            buf.writeCharSequence(slowHead.substring(cut), StandardCharsets.ISO_8859_1);
            assertThat(slow.scan(buf)).isEqualTo(RequestHeadScanner.Status.DONE);
            HttpRequest req = slow.request();
            assertThat(req.headers().get("Host")).isEqualTo("slow.example");
            assertThat(req.headers().get("X-Long-Name")).isEqualTo("slow-value");
            assertThat(req.headers().names()).containsExactly("Host", "X-Long-Name");
            slow.reset();
        } finally {
            buf.release();
        }
    }

    @Test
    void aHeadThatClosesTheConnectionIsNotRememberedForANextOne() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        HttpRequest closing = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nConnection:  Close \r\n\r\n");
        HttpRequest next = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nConnection:  Close \r\n\r\n");
        assertThat(next.headers().get("Host")).isEqualTo("a").isNotSameAs(closing.headers().get("Host"));
        HttpRequest kept = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
        HttpRequest again = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
        assertThat(again.headers().get("Host")).isSameAs(kept.headers().get("Host"));
    }
}
