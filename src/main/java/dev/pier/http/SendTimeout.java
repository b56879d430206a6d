package dev.pier.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code send_timeout}: "a timeout for transmitting a response to the client ... only between two successive
 * write operations, not for the transmission of the whole response. If the client does not receive anything within
 * this time, the connection is closed." Armed after a flush that leaves bytes queued; while armed, every write the
 * socket takes (a whole message, or a piece of a file region or large buffer) moves the deadline, and so does the
 * queue having shrunk since the timer last looked (for messages written before it started: a write on the fast
 * path carries no listener at all); expiry closes the connection
 * (with a reset under {@code reset_timedout_connection on}) and logs {@code client timed out} at info.
 *
 * <p>Not a handler of its own: the connection's {@link ResponseEncoder}, the handler next to the socket, sends every
 * message it passes on through {@link #write} and reports every flush to {@link #flushed} (a handler more would be
 * one more step for every write and flush of every request, and one more to add and remove per connection).
 * Confined to the connection's event loop.
 */
final class SendTimeout implements ChannelProgressiveFutureListener {
    /** Buffers at least this large report partial progress too (Netty writes them in several syscalls). */
    private static final int PROGRESSIVE = 64 * 1024;

    private final HttpConnection conn;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long lastProgress;
    /** What was queued when the timer last looked: less now means the client took some. */
    private long lastPending;
    private final ChannelFutureListener written = f -> lastProgress = now();

    SendTimeout(HttpConnection conn) {
        this.conn = conn;
    }

    /** The encoder joined the pipeline: its context is the one next to the socket. */
    void added(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Passes {@code msg} on to the socket, watched while the timer runs. */
    void write(Object msg, ChannelPromise promise) {
        boolean large = msg instanceof FileRegion
                || msg instanceof io.netty.buffer.ByteBuf b && b.readableBytes() >= PROGRESSIVE;
        if (large) {
            ChannelPromise p = ctx.newProgressivePromise();
            p.addListener(this);
            if (!promise.isVoid()) {
                ChannelPromise original = promise;
                p.addListener(f -> {
                    if (f.isSuccess()) {
                        original.trySuccess();
                    } else {
                        original.tryFailure(f.cause());
                    }
                });
            }
            ctx.write(msg, p);
            return;
        }
        if (timer == null) {
            // the socket keeps up (the common case): no promise or listener per write; if bytes stay queued after
            // the flush, the timer starts and sees their departure as the queue shrinking
            ctx.write(msg, promise);
            return;
        }
        ChannelPromise p = promise.isVoid() ? ctx.newPromise() : promise;
        ctx.write(msg, p.addListener(written));
    }

    /**
     * After the encoder's flush: the connection's {@link WrittenResponses} learn what is out, and bytes still
     * queued start the timer.
     */
    void flushed() {
        conn.written.flushed(ctx);
        if (timer == null && ctx.channel().isActive()) {
            long queued = pending();
            if (queued > 0) {
                lastProgress = now();
                lastPending = queued;
                arm(conn.current().sendTimeoutMs());
            }
        }
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
        lastProgress = now();
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
        lastProgress = now();
    }

    private long pending() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void arm(long millis) {
        timer = ctx.executor().schedule(this::fired, Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    private void fired() {
        timer = null;
        long queued = pending();
        if (!ctx.channel().isActive() || queued == 0) {
            return; // everything went out: the next flush arms again
        }
        if (queued < lastPending) {
            lastProgress = now(); // messages written before the timer started have left since
        }
        lastPending = queued;
        long limit = conn.current().sendTimeoutMs();
        long left = limit - TimeUnit.NANOSECONDS.toMillis(now() - lastProgress);
        if (left > 0) {
            arm(left);
            return;
        }
        conn.requestLog().info("client timed out (110: Connection timed out) while sending response to client"
                + ", client: " + conn.remoteAddr());
        conn.closeTimedOut();
    }

    /** The connection closes (or its encoder leaves): a running timer stops. */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
