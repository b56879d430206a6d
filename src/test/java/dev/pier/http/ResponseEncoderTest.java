package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder as the handler next to the socket: what Netty's encoder makes of a message, passed on whole. */
class ResponseEncoderTest {

    /**
     * A write made while one of a message's parts is being passed on (as a listener of that part's write may) encodes
     * on its own: both messages go out whole, none of their parts lost or passed on twice.
     */
    @Test
    void aWriteFromInsideAPartsWriteIsEncodedOnItsOwn() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("below", new ChannelOutboundHandlerAdapter() {
            private boolean once;

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
                if (!once) {
                    once = true;
                    ch.write(response("second")); // from the tail, through the encoder, while it passes a part on
                }
            }
        });
        ch.pipeline().addLast("encoder", new ResponseEncoder());
        ch.writeAndFlush(response("first"));

        StringBuilder wire = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            wire.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        String all = wire.toString();
        assertThat(all).contains("first").contains("second");
        assertThat(all.split("HTTP/1.1 200 OK", -1)).as("two heads").hasSize(3);
        assertThat(all.indexOf("first")).isEqualTo(all.lastIndexOf("first"));
        assertThat(all.indexOf("second")).isEqualTo(all.lastIndexOf("second"));
    }

    private static DefaultFullHttpResponse response(String body) {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        r.headers().set("Content-Length", body.length());
        return r;
    }
}
