package dev.pier.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close ({@code lingering_close on}, {@code lingering_time 30s}, {@code lingering_timeout 5s}).
 * Closing a TCP socket that still has unread client bytes (a body the server did not read, a pipelined request)
 * makes the kernel send a reset, which can destroy the response the client has not read yet. So the server shuts
 * its side down (the client sees the end of the response), then reads and discards whatever still arrives until
 * the client closes, no data came for 5 s, or 30 s passed in all.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    static final long LINGERING_TIME_MS = 30_000;
    static final long LINGERING_TIMEOUT_MS = 5_000;

    static final LingeringClose LISTENER = new LingeringClose();

    private ScheduledFuture<?> idle;
    private long deadline;

    private LingeringClose() {
    }

    /** Use as the listener of a response's last write instead of {@link ChannelFutureListener#CLOSE}. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            f.channel().close();
            return;
        }
        start(f.channel());
    }

    /** Closes {@code ch} the lingering way: our side first, then whatever the client still sends is discarded. */
    static void start(Channel ch) {
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close();
            return;
        }
        if (ch.pipeline().get("lingering-close") != null) {
            return;
        }
        LingeringClose linger = new LingeringClose();
        ch.pipeline().addFirst("lingering-close", linger);
        // the timers run from now, whatever happens to the half-close below: a lingering connection always ends
        linger.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGERING_TIME_MS);
        linger.rearm(ch);
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                ch.close();
                return;
            }
            ch.config().setAutoRead(true);
            ch.read();
        });
    }

    private void rearm(Channel ch) {
        if (idle != null) {
            idle.cancel(false);
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            ch.close();
            return;
        }
        idle = ch.eventLoop().schedule(() -> {
            ch.close();
        }, Math.min(left, LINGERING_TIMEOUT_MS), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // discarded: the connection is closing
        rearm(ctx.channel());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // swallow: nothing after this handler may act on a closing connection
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
        ctx.close(); // input shut down (the client closed) or another event: done lingering
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idle != null) {
            idle.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
