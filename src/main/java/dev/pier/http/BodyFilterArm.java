package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The first handler of a body filter's chain (gzip, charset recoding: arm, Netty's {@code ChunkedWriteHandler}, then
 * the filter): marks where a filtered response starts by writing the filter's start message just ahead of its head,
 * so the filter learns of it in write order past the chunked writer's queue, and turns the response's zero-copy file
 * regions into {@link FileChunks} the filter can read. Other responses pass untouched.
 */
public final class BodyFilterArm extends ChannelOutboundHandlerAdapter {
    /** The start message for the next response head; null = not filtered. */
    private Object pending;
    /** Inside a filtered streamed response (between its head and its last content). */
    private boolean active;

    /** The response whose head is written next is filtered; {@code start} goes to the filter ahead of it. */
    public void next(Object start) {
        pending = start;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse && pending != null) {
            ctx.write(pending, ctx.newPromise());
            pending = null;
            active = !(msg instanceof FullHttpResponse);
            ctx.write(msg, promise);
            return;
        }
        if (active && msg instanceof FileRegion region) {
            // ChunkedWriteHandler fails a void promise by firing an exception; give it a real one
            ctx.write(new FileChunks(region), promise.isVoid() ? ctx.newPromise() : promise);
            return;
        }
        if (active && msg instanceof LastHttpContent) {
            active = false;
        }
        ctx.write(msg, promise);
    }
}
