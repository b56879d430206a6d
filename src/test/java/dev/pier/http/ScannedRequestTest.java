package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

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
        }
    }

    @Test
    void aRequestPierBuiltIsLookedUp() {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        req.headers().add("Connection", "close").add("Expect", "100-continue");
        assertThat(ScannedRequest.keepAlive(req)).isFalse();
        assertThat(ScannedRequest.expectsContinue(req)).isTrue();
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
