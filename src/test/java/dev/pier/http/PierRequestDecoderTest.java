package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;

class PierRequestDecoderTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().nest(exact("/x").ret(200, "ok")),
            "example.com"));

    /** What the decoder passes on, as text: a request's URI, each body piece, the end of each request. */
    private final List<String> seen = new ArrayList<>();
    /** Each request's URI string as passed on. */
    private final List<String> uris = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = Wire.channel(RT);
        ch.pipeline().addAfter("decoder", "seen", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest r) {
                    seen.add(r.uri());
                    uris.add(r.uri());
                }
                if (msg instanceof HttpContent c && c.content().isReadable()) {
                    seen.add(c.content().toString(StandardCharsets.ISO_8859_1));
                }
                if (msg instanceof LastHttpContent) {
                    seen.add("end");
                }
                ctx.fireChannelRead(msg);
            }
        });
        return ch;
    }

    private static PierRequestDecoder decoder(EmbeddedChannel ch) {
        return (PierRequestDecoder) ch.pipeline().get("decoder");
    }

    @Test
    void requestsWithoutABodyNeverMakeNettysDecoder() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 3; i++) {
            assertThat(Wire.roundTrip(ch, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(Wire.roundTrip(ch, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK");
        assertThat(decoder(ch).framing()).isFalse();
        assertThat(seen).containsExactly("/x", "end", "/x", "end", "/x", "end", "/x", "end");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bodiesAreFramedOnceOneArrivesAndTheRequestsAroundThemStillParse() {
        EmbeddedChannel ch = channel();
        assertThat(Wire.roundTrip(ch, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        assertThat(Wire.roundTrip(ch, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200 OK");
        assertThat(decoder(ch).framing()).isTrue();
        assertThat(Wire.roundTrip(ch, "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;name=value\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        assertThat(Wire.roundTrip(ch, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        assertThat(seen).containsExactly("/x", "end", "/x", "hello", "end", "/x", "abc", "de", "end", "/x", "end");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aRepeatedTargetIsTheSameString() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 3; i++) {
            assertThat(Wire.roundTrip(ch, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(uris).hasSize(3);
        assertThat(uris.get(1)).isSameAs(uris.get(0));
        assertThat(uris.get(2)).isSameAs(uris.get(0));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
