package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Netty's {@link ChunkedWriteHandler}, as the body filters (gzip, charset recoding) and buffered file bodies use it.
 * It holds writes back: a chunked body is read only while the channel is writable, and whatever is written after it
 * waits behind it. An empty outbound buffer after a flush then no longer means that every response written before is
 * out, so once a connection has one, its responses' last writes carry promises again ({@link WrittenResponses}).
 */
public final class HeldWrites extends ChunkedWriteHandler {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.pipeline().get(HttpRequestDispatcher.class) instanceof HttpRequestDispatcher d) {
            d.connection().written.holdBack();
        }
    }
}
