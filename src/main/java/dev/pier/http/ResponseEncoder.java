package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, except for a {@link Encoded} response: bytes Pier already wrote in HTTP/1.1 form
 * ({@link FullHead}), which go on as they are. The encoder is between two messages whenever one arrives (a whole
 * response is written only when none is streaming), so its state is not disturbed; and the bytes travel the pipeline
 * as any message does, so the handlers between the dispatcher and the encoder keep them in order.
 */
final class ResponseEncoder extends HttpResponseEncoder {

    /** A whole response, head and body, already encoded. */
    static final class Encoded extends DefaultByteBufHolder {
        Encoded(ByteBuf bytes) {
            super(bytes);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof Encoded e) {
            ctx.write(e.content(), promise);
            return;
        }
        super.write(ctx, msg, promise);
    }
}
