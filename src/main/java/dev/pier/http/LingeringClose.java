package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import dev.pier.os.SocketQueues;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.PierSocketChannel;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close ({@code lingering_close}, {@code lingering_time}, {@code lingering_timeout} of the latest
 * request's location). Closing a TCP socket that still has unread client bytes (a body the server did not read, a
 * pipelined request) makes the kernel send a reset, which can destroy the response the client has not read yet. So
 * the server shuts its side down (the client sees the end of the response), then reads and discards whatever still
 * arrives until the client closes, no data came for {@code lingering_timeout}, or {@code lingering_time} passed.
 * With {@code lingering_close on} this happens only when the client may still be sending: bytes are unread in the
 * socket, or the last request did not end cleanly; {@code always} lingers every time, {@code off} never.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    private final long timeoutMs;
    private ScheduledFuture<?> idle;
    private long deadline;

    private LingeringClose(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /**
     * After a response's last write on {@code conn}'s channel, instead of {@code ChannelFutureListener.CLOSE}: a
     * failed write closes at once, else the lingering close starts.
     */
    static void afterLastWrite(boolean success, HttpConnection conn) {
        if (!success) {
            conn.channel.close();
            return;
        }
        start(conn);
    }

    /**
     * Closes {@code conn}'s channel the lingering way: our side first, then whatever the client still sends is
     * discarded, as its latest location says and as its last request ended.
     */
    static void start(HttpConnection conn) {
        Channel ch = conn.channel;
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close();
            return;
        }
        if (!conn.beginLingering()) {
            return; // lingering already
        }
        LimitsConf limits = conn.current();
        if (!linger(ch, limits.lingeringClose(), conn.betweenRequests())) {
            ch.close();
            return;
        }
        LingeringClose linger = new LingeringClose(limits.lingeringTimeoutMs());
        ch.pipeline().addFirst("lingering-close", linger);
        // the timers run from now, whatever happens to the half-close below: a lingering connection always ends
        linger.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.lingeringTimeMs());
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

    /**
     * nginx's {@code r->lingering_close} decision for {@code on}: the client may still be sending. Bytes may wait
     * unread in the socket unless the close comes within the input event whose last read found the socket empty
     * (as nginx decides, from its {@code rev->ready}); otherwise (a response finished later: a file, a proxy, a delay)
     * the kernel is asked ({@code FIONREAD}), which nginx does not do.
     */
    private static boolean linger(Channel ch, LimitsConf.LingeringClose mode, boolean cleanBoundary) {
        return switch (mode) {
            case OFF -> false;
            case ALWAYS -> true;
            case ON -> !cleanBoundary || mayHoldUnread(ch);
        };
    }

    private static boolean mayHoldUnread(Channel ch) {
        if (ch instanceof PierSocketChannel p && p.drainedByThisRead()) {
            return false;
        }
        return !(ch instanceof UnixChannel u) || SocketQueues.unread(u.fd().intValue()) != 0;
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
        }, Math.min(left, timeoutMs), TimeUnit.MILLISECONDS);
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
        if (evt instanceof ChannelOutputShutdownEvent) {
            return; // our own half-close, which started the lingering
        }
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
