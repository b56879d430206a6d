package dev.pier.http.gzip;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Marks where a compressed response starts and turns its zero-copy file regions into {@link dev.pier.http.FileChunks}, which
 * {@code ChunkedWriteHandler} reads piece by piece for the deflater. Other responses pass untouched.
 */
final class GzipArm extends ChannelOutboundHandlerAdapter {
    /** The level for the next response head; 0 = not compressed. */
    private int pending;
    /** Inside a compressed streamed response (between its head and its last content). */
    private boolean active;

    void next(int level) {
        pending = level;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse && pending > 0) {
            // the deflater learns of the response in write order, past ChunkedWriteHandler's queue
            ctx.write(new GzipEncoder.Start(pending), ctx.newPromise());
            pending = 0;
            active = !(msg instanceof FullHttpResponse);
            ctx.write(msg, promise);
            return;
        }
        if (active && msg instanceof FileRegion region) {
            // ChunkedWriteHandler fails a void promise by firing an exception; give it a real one
            ctx.write(new dev.pier.http.FileChunks(region), promise.isVoid() ? ctx.newPromise() : promise);
            return;
        }
        if (active && msg instanceof LastHttpContent) {
            active = false;
        }
        ctx.write(msg, promise);
    }
}
