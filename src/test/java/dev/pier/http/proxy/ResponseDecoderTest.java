package dev.pier.http.proxy;

import dev.pier.http.EventClock;
import dev.pier.http.HeadLines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's responses read by {@link ResponseDecoder} come out as Netty's client codec made them (it read them
 * before): every case is fed to both, whole and in fragments of every size up to 9 bytes, and what each hands on
 * (heads, bodies, ends, failures, the connection's close) must be the same. The common shapes must take Pier's own
 * head parser and the rest must be left to Netty, or the comparison would prove nothing.
 */
class ResponseDecoderTest {
    private static final int MAX_HEAD = 256;
    private static final AsciiString X_ACCEL_REDIRECT = AsciiString.of("X-Accel-Redirect");
    private static final AsciiString X_ACCEL_BUFFERING = AsciiString.of("X-Accel-Buffering");
    private static final AsciiString X_ACCEL_LIMIT_RATE = AsciiString.of("X-Accel-Limit-Rate");

    /** Heads Pier's parser reads: [response bytes, request method]. */
    private static final List<String[]> COMMON = List.of(
            r("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz"),
            r("HTTP/1.1 200 Fine Thanks \r\nX-Empty:\r\nX-Spaced: \t padded value \t\r\nContent-Length: 0\r\n\r\n"),
            r("HTTP/1.1 299\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.0 200 OK\r\nX-Latin: caf\u00e9\r\n\r\nread until the close"),
            r("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n"
                    + "HTTP/1.1 204 No Content\r\n\r\n"),
            r("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"),
            new String[]{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "HEAD"},
            new String[]{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HEAD"},
            r("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
            r("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"),
            r("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le"),
            r("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbad gateway\n"),
            // a head repeated byte for byte (not read again), then one that differs in one byte
            r("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\ncd"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nefgHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhij"),
            r("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nbc\r\n0\r\n\r\n"),
            // what the parser notes on the way (Connection, X-Accel-*) must answer as the header map does
            r("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nConnection: CLOSE\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nConnection: keep-alives\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nX-Accel: no\r\nX-Accel-Buffering: no\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nx-accel-redirect: /internal\r\nx-ACCEL-limit-rate: 100\r\n\r\n"),
            r("HTTP/1.1 200 OK\r\nX-Accel-Redirect:\r\nContent-Length: 0\r\n\r\n"));

    /** Heads left to Netty's decoder. */
    private static final List<String[]> OTHER = List.of(
            r("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
            r("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw bytes"),
            r("HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\nContent-Length: 1\n\nz"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nzz"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
            r("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
            r("HTTP/1.1 200 OK\r\nX-Bad : x\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nX-Ctl: a\u0001b\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/2.0 200 OK\r\nContent-Length: 1\r\n\r\nz"),
            r("ICY 200 OK\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 20 OK\r\nContent-Length: 1\r\n\r\nz"),
            r("\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"),
            r("HTTP/1.1 200 OK\r\nX-Long: " + "v".repeat(MAX_HEAD) + "\r\nContent-Length: 1\r\n\r\nz"));

    private static String[] r(String response) {
        return new String[]{response, "GET"};
    }

    @Test
    void commonHeadsArePiersAndTheRestNettys() {
        for (String[] c : COMMON) {
            assertThat(new ResponseHeadParser(MAX_HEAD).parse(bytes(c[0]))).as(c[0]).isPositive();
        }
        for (String[] c : OTHER) {
            assertThat(new ResponseHeadParser(MAX_HEAD).parse(bytes(c[0]))).as(c[0])
                    .isEqualTo(ResponseHeadParser.OTHER);
        }
    }

    @Test
    void everyResponseComesOutAsNettysClientCodecMadeIt() {
        List<String[]> all = new ArrayList<>(COMMON);
        all.addAll(OTHER);
        for (String[] c : all) {
            for (int fragment = 0; fragment <= 9; fragment++) {
                List<String> expected = decode(reference(c[1]), c[0], fragment);
                List<String> actual = decode(pier(c[1]), c[0], fragment);
                assertThat(actual).as("%s in fragments of %d", c[0], fragment).isEqualTo(expected);
            }
        }
    }

    @Test
    void aContentLengthBodyComesInPiecesOfTheChunkLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseDecoder(new HttpDecoderConfig().setMaxChunkSize(4)));
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"));
        List<Integer> sizes = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (o instanceof HttpContent piece) {
                sizes.add(piece.content().readableBytes());
                assertThat(piece instanceof LastHttpContent).isEqualTo(sizes.stream().mapToInt(i -> i).sum() == 10);
            }
            ReferenceCountUtil.release(o);
        }
        assertThat(sizes).containsExactly(4, 4, 2);
        ch.finishAndReleaseAll();
    }

    @Test
    void aBackendsResponseIsHandledWithinOneEvent() {
        List<long[]> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseDecoder(config()), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                long a = EventClock.nanoTime();
                long until = System.nanoTime() + 3_000_000;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                seen.add(new long[] {a, EventClock.nanoTime()});
                ReferenceCountUtil.release(msg);
            }
        });
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        assertThat(seen).hasSize(2).allSatisfy(r -> assertThat(r[1]).isEqualTo(r[0]));
        ch.finishAndReleaseAll();
    }

    @Test
    void theDecoderIsFoundFirstOrBehindTls() {
        ResponseDecoder d = new ResponseDecoder(config());
        EmbeddedChannel plain = new EmbeddedChannel(d, new ChannelInboundHandlerAdapter());
        assertThat(ResponseDecoder.of(plain)).isSameAs(d);
        ResponseDecoder behind = new ResponseDecoder(config());
        EmbeddedChannel tls = new EmbeddedChannel(new ChannelInboundHandlerAdapter(), behind);
        assertThat(ResponseDecoder.of(tls)).isSameAs(behind);
        plain.finishAndReleaseAll();
        tls.finishAndReleaseAll();
    }

    @Test
    void aRepeatedHeadReusesItsStrings() {
        ResponseHeadParser p = new ResponseHeadParser(MAX_HEAD);
        String head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n";
        p.parse(bytes(head));
        Map.Entry<String, String> first = p.response().headers().iteratorAsString().next();
        p.parse(bytes(head));
        Map.Entry<String, String> second = p.response().headers().iteratorAsString().next();
        assertThat(second.getKey()).isSameAs(first.getKey());
        assertThat(second.getValue()).isSameAs(first.getValue());
        // names are AsciiStrings, whose hash is computed once for the header maps the head goes through
        CharSequence name = p.response().headers().iteratorCharSequence().next().getKey();
        assertThat(name).isInstanceOf(io.netty.util.AsciiString.class).hasToString("Server");
        p.parse(bytes(head));
        assertThat(p.response().headers().iteratorCharSequence().next().getKey()).isSameAs(name);
    }

    @Test
    void aHeadAnotherBackendConnectionOfTheLoopReadIsNotReadAgain() {
        String head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sat, 28 Nov 2026 10:00:0%d GMT\r\n"
                + "Content-Length: 0\r\n\r\n";
        ResponseHeadParser p = new ResponseHeadParser(MAX_HEAD);
        ResponseHeadParser q = new ResponseHeadParser(MAX_HEAD);
        assertThat(p.parse(bytes(head.formatted(1)))).isPositive();
        assertThat(q.parse(bytes(head.formatted(1)))).isPositive();
        assertThat(q.response().lines()).as("read by p on this thread").isSameAs(p.response().lines());
        assertThat(q.response().memo()).as("and so is the head relayed from them").isSameAs(p.response().memo());
        assertThat(q.response()).isNotSameAs(p.response());

        assertThat(q.parse(bytes(head.formatted(2)))).isPositive(); // the next second's head: q reads it
        CharSequence[] second = q.response().lines();
        assertThat(second).isNotSameAs(p.response().lines());
        assertThat(second[3]).hasToString("Sat, 28 Nov 2026 10:00:02 GMT");
        assertThat(p.parse(bytes(head.formatted(2) + "body"))).isEqualTo(head.formatted(2).length());
        assertThat(p.response().lines()).isSameAs(second);
        assertThat(p.response().contentLength()).isZero();
    }

    @Test
    void aHeadEqualToTheLastIsNotReadAgainAndOneByteDifferentIs() {
        ResponseHeadParser p = new ResponseHeadParser(MAX_HEAD);
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(p.parse(bytes(head + "1\r\na\r\n"))).isEqualTo(head.length());
        ParsedResponse first = p.response();
        CharSequence[] lines = first.lines();
        first.headers(); // the first response's own map, and its own framing, change nothing for the next
        first.unchunk();
        assertThat(p.parse(bytes(head + "2\r\nbc\r\n"))).isEqualTo(head.length());
        ParsedResponse second = p.response();
        assertThat(second).isNotSameAs(first);
        assertThat(second.lines()).as("the same lines, not read again").isSameAs(lines);
        assertThat(second.chunked()).isTrue();
        assertThat(second.status()).isEqualTo(HttpResponseStatus.OK);

        ResponseHeadParser q = new ResponseHeadParser(MAX_HEAD);
        q.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
        assertThat(q.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"))).isPositive();
        assertThat(q.response().contentLength()).isEqualTo(7);
        assertThat(q.parse(bytes("HTTP/1.1 201 OK\r\nContent-Length: 7\r\n\r\n"))).isPositive();
        assertThat(q.response().status().code()).isEqualTo(201);
        assertThat(q.parse(bytes("HTTP/1.1 201 OK\r\nContent-Length: 7\r\n\r"))).as("not whole yet")
                .isEqualTo(ResponseHeadParser.MORE);
    }

    /**
     * A parsed head keeps its lines in order, names and values as the map gets them, and builds the map only when
     * asked; from then on the map is the head. A body that ends with its {@code Content-Length} ends without a
     * trailer map of its own.
     */
    @Test
    void aParsedHeadKeepsItsLinesUntilItsMapIsAsked() {
        EmbeddedChannel ch = pier("GET");
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Two: a\r\nx-two:  b \r\n"
                + "Content-Length: 2\r\n\r\nok"));
        HttpResponse res = ch.readInbound();
        assertThat(res).isInstanceOf(HeadLines.class);
        assertThat(((HeadLines) res).lines()).extracting(CharSequence::toString)
                .containsExactly("Server", "nginx", "X-Two", "a", "x-two", "b", "Content-Length", "2");
        assertThat(res.headers().getAll("X-TWO")).containsExactly("a", "b");
        assertThat(((HeadLines) res).lines()).as("the map is the head now").isNull();
        res.headers().remove("x-two");
        assertThat(HeadLines.of(res)).extracting(CharSequence::toString)
                .containsExactly("Server", "nginx", "Content-Length", "2");
        LastHttpContent last = ch.readInbound();
        assertThat(last.trailingHeaders().isEmpty()).isTrue();
        assertThat(last.trailingHeaders()).isSameAs(io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        last.release();
        ch.finishAndReleaseAll();
    }

    private static EmbeddedChannel reference(String method) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(config(), false, false));
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/"));
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        return ch;
    }

    private static EmbeddedChannel pier(String method) {
        ResponseDecoder d = new ResponseDecoder(config());
        d.expect(method.equals("HEAD"));
        return new EmbeddedChannel(d);
    }

    private static HttpDecoderConfig config() {
        return new HttpDecoderConfig().setMaxInitialLineLength(MAX_HEAD).setMaxHeaderSize(MAX_HEAD)
                .setMaxChunkSize(65536);
    }

    /** Feeds {@code response} whole (fragment 0) or in pieces, then closes: what came out, as text. */
    private static List<String> decode(EmbeddedChannel ch, String response, int fragment) {
        byte[] all = response.getBytes(StandardCharsets.ISO_8859_1);
        List<String> seen = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int step = fragment == 0 ? all.length : fragment;
        for (int i = 0; i < all.length; i += step) {
            ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(step, all.length - i)));
            drain(ch, seen, body);
        }
        ch.finish();
        drain(ch, seen, body);
        if (!body.isEmpty()) {
            seen.add("unended body " + body);
        }
        return seen;
    }

    private static void drain(EmbeddedChannel ch, List<String> seen, StringBuilder body) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            try {
                if (o instanceof HttpResponse res) {
                    seen.add("head " + res.protocolVersion() + " " + res.status().code() + " [" + res.status()
                            .reasonPhrase() + "] " + res.headers().entries() + " " + res.decoderResult());
                    // Pier's heads answer from the parse, Netty's from the map: the answers must be the same
                    seen.add("closeDelimited " + ParsedResponse.closeDelimited(res) + " keepAlive "
                            + ParsedResponse.keepAlive(res) + " accel " + ParsedResponse.accel(res, X_ACCEL_REDIRECT)
                            + " " + ParsedResponse.accel(res, X_ACCEL_BUFFERING) + " "
                            + ParsedResponse.accel(res, X_ACCEL_LIMIT_RATE));
                }
                if (o instanceof HttpContent piece) {
                    body.append(piece.content().toString(StandardCharsets.ISO_8859_1));
                    if (!piece.decoderResult().isSuccess()) {
                        seen.add("failed piece " + piece.decoderResult());
                    }
                    if (piece instanceof LastHttpContent last) {
                        seen.add("body [" + body + "] trailers " + last.trailingHeaders().entries());
                        body.setLength(0);
                    }
                } else if (o instanceof ByteBuf raw) {
                    seen.add("raw " + raw.toString(StandardCharsets.ISO_8859_1));
                }
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
