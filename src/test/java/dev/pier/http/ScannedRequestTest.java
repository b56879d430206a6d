package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The scanned head's shortcuts answer as Netty's lookups do, on the same requests. */
class ScannedRequestTest {

    private record Case(String head, boolean keepAlive, boolean expectsContinue) {
    }

    private static final Case[] CASES = {
        new Case("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true, false),
        new Case("GET / HTTP/1.0\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nCONNECTION: Close\r\n\r\n", false, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, close\r\n\r\n", false, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n", true, false),
        new Case("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", true, true),
        new Case("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nexpect: 100-Continue\r\n\r\n", true, true),
        new Case("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: something\r\n\r\n", true, false),
        new Case("POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", false, false),
        new Case("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-Expect: 100-continue\r\n"
                + "X-Connection: close\r\n\r\n", true, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection:  keep-alive ,\tCLOSE \r\n\r\n", false, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, xclose, close-ish\r\n\r\n", true, false),
        new Case("GET / HTTP/1.0\r\nConnection: upgrade,Keep-Alive\r\n\r\n", true, false),
        new Case("GET / HTTP/1.0\r\nConnection: keep-alives, keep alive\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection: ,,\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection:\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection: keep-alive,\r\n\r\n", true, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nconnection: close\r\n\r\n", false,
                false),
        new Case("GET / HTTP/1.0\r\nConnection: upgrade\r\nConnection: keep-alive\r\n\r\n", true, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n", false,
                false),
        new Case("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: upgrade\r\n\r\n", true, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: ,close\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection: KEEP-ALIVE\r\n\r\n", true, false),
        new Case("GET / HTTP/1.0\r\nConnection: keep\talive\r\n\r\n", false, false),
        new Case("GET / HTTP/1.0\r\nConnection: keep\u00ADalive\r\n\r\n", false, false),
        new Case("GET / HTTP/1.1\r\nHost: a\r\nConnection: \u00C7lose\r\n\r\n", true, false),
    };

    @Test
    void shortcutsAnswerAsNettysLookups() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        for (Case c : CASES) {
            HttpRequest req = scan(scanner, c.head());
            assertThat(req).isInstanceOf(ScannedRequest.class);
            assertThat(ScannedRequest.keepAlive(req)).as("keep-alive of %s", c.head()).isEqualTo(c.keepAlive())
                    .isEqualTo(HttpUtil.isKeepAlive(req));
            assertThat(ScannedRequest.expectsContinue(req)).as("100-continue of %s", c.head())
                    .isEqualTo(c.expectsContinue()).isEqualTo(HttpUtil.is100ContinueExpected(req));
            assertThat(ScannedRequest.host(req)).as("host of %s", c.head())
                    .isEqualTo(req.headers().get(HttpHeaderNames.HOST));
        }
    }

    @Test
    void theMapIsBuiltOnceFromTheKeptLinesInOrder() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        HttpRequest req = scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a:2\r\nBad_Name: 3\r\n"
                + "X-B:  4 \r\nX-C:\r\n\r\n");
        HttpHeaders h = req.headers();
        assertThat(req.headers()).isSameAs(h);
        assertThat(h.entries()).extracting(Map.Entry::getKey, Map.Entry::getValue).containsExactly(
                tuple("Host", "a"), tuple("X-A", "1"), tuple("x-a", "2"), tuple("X-B", "4"), tuple("X-C", ""));
        assertThat(h.getAll("X-a")).containsExactly("1", "2");
        h.add("X-D", "5"); // what is added stays: the map is built once
        assertThat(req.headers().get("x-d")).isEqualTo("5");
        assertThat(scan(scanner, "GET / HTTP/1.0\r\n\r\n").headers().isEmpty()).isTrue();
    }

    @Test
    void theHostIsTheMapsValue() {
        var scanner = new RequestHeadScanner(LimitsConf.DEFAULTS);
        for (String head : new String[] {"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
            "GET / HTTP/1.1\r\nX-A: 1\r\nhOST:   b.example:8080 \r\nX-B: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nX-Host: x\r\nHost:\r\n\r\n", "GET / HTTP/1.0\r\nHosts: y\r\n\r\n"}) {
            HttpRequest req = scan(scanner, head);
            assertThat(ScannedRequest.host(req)).as(head).isEqualTo(req.headers().get(HttpHeaderNames.HOST));
        }
        assertThat(ScannedRequest.host(scan(scanner, "GET / HTTP/1.1\r\nHost:  c.example\r\n\r\n")))
                .isEqualTo("c.example");
        assertThat(ScannedRequest.host(scan(scanner, "GET / HTTP/1.0\r\nX-Host: d\r\n\r\n"))).isNull();
    }

    @Test
    void aRequestPierBuiltIsLookedUp() {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        req.headers().add("Connection", "close").add("Expect", "100-continue");
        assertThat(ScannedRequest.keepAlive(req)).isFalse();
        assertThat(ScannedRequest.expectsContinue(req)).isTrue();
        req.headers().add("Host", "e.example");
        assertThat(ScannedRequest.host(req)).isEqualTo("e.example");
    }

    private static HttpRequest scan(RequestHeadScanner scanner, String head) {
        var buf = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        try {
            assertThat(scanner.scan(buf)).as(head).isEqualTo(RequestHeadScanner.Status.DONE);
            HttpRequest req = scanner.request();
            scanner.reset();
            return req;
        } finally {
            buf.release();
        }
    }
}
