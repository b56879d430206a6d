package dev.pier.http.proxy.upstream;

import dev.pier.http.LoopTimer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.Objects;

/**
 * One connection to a peer, and the last handler of its pipeline: it hands every event to the current
 * {@link Listener} (the request being proxied, or the keep-alive pool while idle), so a kept-alive connection moves
 * between requests without rebuilding its pipeline. Confined to the event loop it was created on.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    /** Who currently owns the connection's events. */
    public interface Listener {
        void read(UpstreamConnection c, Object msg);

        default void readComplete(UpstreamConnection c) {
        }

        void inactive(UpstreamConnection c);

        void exception(UpstreamConnection c, Throwable cause);

        default void writable(UpstreamConnection c) {
        }

        /** The connection's {@link #timer()} expired (a send, read or idle timeout of this listener's). */
        default void timeout(UpstreamConnection c) {
        }
    }

    /** A listener that drops everything: for a connection that is being closed. */
    static final Listener CLOSING = new Listener() {
        @Override
        public void read(UpstreamConnection c, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void inactive(UpstreamConnection c) {
        }

        @Override
        public void exception(UpstreamConnection c, Throwable cause) {
            c.channel().close();
        }
    };

    private final Peer peer;
    private final long created;
    private Channel channel;
    private Listener listener = CLOSING;
    /**
     * The connection's one timer, for whoever listens: the request's {@code proxy_send_timeout} and
     * {@code proxy_read_timeout}, then the pool's idle timeout. Kept with the connection, so a kept-alive connection
     * arms and disarms it with field writes instead of scheduling tasks for every request.
     */
    private LoopTimer timer;
    private int requests;
    /** What else the connection was made for besides its peer (TLS settings and name); null for plain ones. */
    private final Object key;

    public UpstreamConnection(Peer peer, long createdMillis) {
        this(peer, createdMillis, null);
    }

    /** @param key TLS settings and name a reuser must match ({@link KeepalivePool#acquire(Peer, Object)}) */
    public UpstreamConnection(Peer peer, long createdMillis, Object key) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.created = createdMillis;
        this.key = key;
    }

    /** The TLS key the connection was made with, null for plain TCP. */
    public Object key() {
        return key;
    }

    public Peer peer() {
        return peer;
    }

    public Channel channel() {
        return channel;
    }

    /** When the connection was established (for {@code keepalive_time}). */
    public long created() {
        return created;
    }

    /** Requests sent on this connection so far (for {@code keepalive_requests}). */
    public int requests() {
        return requests;
    }

    /** Counts one more request sent. */
    public void requestSent() {
        requests++;
    }

    public void listener(Listener l) {
        this.listener = Objects.requireNonNull(l, "listener");
    }

    public Listener listener() {
        return listener;
    }

    /** The connection's timer: its expiry goes to the current listener's {@link Listener#timeout}. */
    public LoopTimer timer() {
        return timer;
    }

    /** Closes the connection; later events are dropped. */
    public void close() {
        listener = CLOSING;
        if (timer != null) {
            timer.disarm();
        }
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        timer = new LoopTimer(channel.eventLoop(), () -> listener.timeout(this));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        listener.read(this, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.readComplete(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        listener = CLOSING;
        timer.disarm();
        l.inactive(this);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        listener.writable(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.exception(this, cause);
    }
}
