package dev.pier.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Compresses the body of each response announced by a {@link Start} marker, as it streams: every content piece is
 * deflated (nothing waits for the whole body), a streamed (proxied) piece is followed by a {@code Z_SYNC_FLUSH} so it
 * reaches the client as promptly as it would uncompressed (file pieces are not: the rest follows at once), and the last content carries the gzip trailer. A
 * complete in-memory response ({@link FullHttpResponse}: error pages, {@code return}) is compressed at once and
 * keeps a Content-Length. The head was already rewritten by {@link GzipHeaderFilter}.
 */
final class GzipEncoder extends ChannelOutboundHandlerAdapter {
    /** The next response head on the channel is compressed at {@code level}. Consumed here, never written. */
    record Start(int level) {
    }

    private int pendingLevel;
    private GzipStream stream;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof Start start) {
            pendingLevel = start.level();
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse res && pendingLevel > 0) {
            int level = pendingLevel;
            pendingLevel = 0;
            if (res instanceof FullHttpResponse full) {
                ctx.write(compressWhole(ctx, full, level), promise);
            } else {
                stream = new GzipStream(level);
                ctx.write(res, promise);
            }
            return;
        }
        if (stream != null && (msg instanceof HttpContent || msg instanceof ByteBuf)) {
            writeContent(ctx, msg, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    private void writeContent(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBuf in = msg instanceof HttpContent c ? c.content() : (ByteBuf) msg;
        ByteBuf out = ctx.alloc().buffer(Math.max(256, in.readableBytes() / 2));
        try {
            stream.deflate(in, out);
            if (msg instanceof LastHttpContent last) {
                stream.finish(out);
                stream = null;
                ctx.write(new DefaultLastHttpContent(out, last.trailingHeaders()), promise);
                return;
            }
            if (!(msg instanceof dev.pier.http.FileChunks.Piece)) {
                // a streamed piece: the client may be waiting for it (server-sent events, long polls)
                stream.flush(out);
            }
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            in.release();
        }
        if (out.isReadable()) {
            ctx.write(new DefaultHttpContent(out), promise);
        } else {
            out.release();
            promise.trySuccess(); // deflate keeps it for now; the piece has been taken
        }
    }

    private static FullHttpResponse compressWhole(ChannelHandlerContext ctx, FullHttpResponse full, int level) {
        GzipStream whole = new GzipStream(level);
        ByteBuf out = ctx.alloc().buffer(Math.max(256, full.content().readableBytes() / 2));
        try {
            whole.deflate(full.content(), out);
            whole.finish(out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            whole.end();
            full.release();
        }
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(full.protocolVersion(), full.status(), out,
                full.headers(), full.trailingHeaders());
        // the whole body is at hand: its compressed length frames it, on HTTP/1.0 too
        res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, out.readableBytes());
        return res;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        end();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    private void end() {
        if (stream != null) {
            stream.end();
            stream = null;
        }
    }
}
