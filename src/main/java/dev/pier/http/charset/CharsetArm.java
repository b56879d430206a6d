package dev.pier.http.charset;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Marks where a recoded response starts and turns its file regions into {@link dev.pier.http.FileChunks} for
 * {@code ChunkedWriteHandler}; other responses pass untouched.
 */
final class CharsetArm extends ChannelOutboundHandlerAdapter {
    private Recoder pending;
    private boolean active;

    void next(Recoder recoder) {
        pending = recoder;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse && pending != null) {
            ctx.write(new RecodeHandler.Start(pending), ctx.newPromise());
            pending = null;
            active = !(msg instanceof FullHttpResponse);
            ctx.write(msg, promise);
            return;
        }
        if (active && msg instanceof FileRegion region) {
            ctx.write(new dev.pier.http.FileChunks(region), promise.isVoid() ? ctx.newPromise() : promise);
            return;
        }
        if (active && msg instanceof LastHttpContent) {
            active = false;
        }
        ctx.write(msg, promise);
    }
}
