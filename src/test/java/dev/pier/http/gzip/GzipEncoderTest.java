package dev.pier.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The deflating handler alone: streamed pieces (as the proxy writes them), complete bodies, pass-through. */
class GzipEncoderTest {
    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    void streamedPiecesAreDecodableAsTheyArriveAndInputIsReleased() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new GzipEncoder());
        ch.writeOutbound(new GzipEncoder.Start(6));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ch.writeOutbound(head);
        assertThat((Object) ch.readOutbound()).isSameAs(head); // the marker itself is never written
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            String piece = "event " + i + ": " + "data ".repeat(i * 50) + "\n";
            sent.append(piece);
            ByteBuf in = text(piece);
            ch.writeOutbound(new DefaultHttpContent(in));
            assertThat(in.refCnt()).isZero();
            HttpContent out = ch.readOutbound();
            byte[] b = bytes(out.content());
            out.release();
            all.writeBytes(b);
            // a sync flush after each piece: the client can decode everything sent so far
            int skip = i == 0 ? 10 : 0;
            inflater.setInput(b, skip, b.length - skip);
            byte[] buf = new byte[64 * 1024];
            StringBuilder got = new StringBuilder();
            for (int n; (n = inflater.inflate(buf)) > 0; ) {
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(got.toString()).isEqualTo(piece);
        }
        ByteBuf lastIn = text("the end");
        sent.append("the end");
        ch.writeOutbound(new DefaultLastHttpContent(lastIn));
        assertThat(lastIn.refCnt()).isZero();
        LastHttpContent last = ch.readOutbound();
        all.writeBytes(bytes(last.content()));
        last.release();
        inflater.end();
        assertThat(Responses.gunzip(all.toByteArray())).isEqualTo(sent.toString());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aCompleteResponseGetsItsCompressedLength() {
        EmbeddedChannel ch = new EmbeddedChannel(new GzipEncoder());
        String body = "abc".repeat(1000);
        ByteBuf in = text(body);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, in);
        res.headers().set("Transfer-Encoding", "chunked").set("X-Kept", "yes");
        ch.writeOutbound(new GzipEncoder.Start(1), res);
        assertThat(in.refCnt()).isZero();
        FullHttpResponse out = ch.readOutbound();
        assertThat(out.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(out.headers().get("Transfer-Encoding")).isNull();
        assertThat(out.headers().get("X-Kept")).isEqualTo("yes");
        assertThat(out.headers().getInt("Content-Length")).isEqualTo(out.content().readableBytes()).isLessThan(100);
        assertThat(Responses.gunzip(bytes(out.content()))).isEqualTo(body);
        out.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void responsesWithoutAMarkerPassUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new GzipEncoder());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ByteBuf body = text("plain");
        ch.writeOutbound(head, new DefaultLastHttpContent(body));
        assertThat((Object) ch.readOutbound()).isSameAs(head);
        LastHttpContent last = ch.readOutbound();
        assertThat(last.content()).isSameAs(body);
        last.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aClosedStreamFreesItsDeflater() {
        EmbeddedChannel ch = new EmbeddedChannel(new GzipEncoder());
        ch.writeOutbound(new GzipEncoder.Start(1), new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK), new DefaultHttpContent(text("partial")));
        ch.close(); // mid-body (the upstream broke): no trailer, nothing leaked
        assertThat(ch.finishAndReleaseAll()).isTrue(); // the head and the piece were written before the close
    }
}
