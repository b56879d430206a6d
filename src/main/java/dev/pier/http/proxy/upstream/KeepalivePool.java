package dev.pier.http.proxy.upstream;

import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * nginx's upstream {@code keepalive} cache for one upstream on one event loop: at most {@code keepalive} idle
 * connections (the least recently used one is closed to make room), each closed after {@code keepalive_timeout} idle,
 * and none put back after {@code keepalive_requests} requests or once it is older than {@code keepalive_time}.
 * While idle a connection is watched: the peer closing it, or sending anything unasked, closes it, so only a clean,
 * open connection is ever handed out. nginx caches per worker; Pier caches per event loop because a channel belongs
 * to one loop. Not thread-safe: use from the owning event loop only.
 */
public final class KeepalivePool {
    private final int capacity;
    private final int maxRequests;
    private final long timeoutMillis;
    private final long timeMillis;
    private final LongSupplier clock;
    /** Most recently released first. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    /** Set by {@link #close()}: nothing is kept any more. */
    private boolean closed;

    private final class Idle implements UpstreamConnection.Listener {
        final UpstreamConnection conn;

        Idle(UpstreamConnection conn) {
            this.conn = conn;
        }

        @Override
        public void read(UpstreamConnection c, Object msg) {
            ReferenceCountUtil.release(msg); // nothing may arrive on an idle connection
            drop(this);
        }

        @Override
        public void inactive(UpstreamConnection c) {
            drop(this);
        }

        @Override
        public void exception(UpstreamConnection c, Throwable cause) {
            drop(this);
        }

        @Override
        public void timeout(UpstreamConnection c) {
            drop(this); // keepalive_timeout
        }
    }

    public KeepalivePool(int capacity, int maxRequests, long timeoutMillis, long timeMillis, LongSupplier clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("keepalive " + capacity);
        }
        this.capacity = capacity;
        this.maxRequests = maxRequests;
        this.timeoutMillis = timeoutMillis;
        this.timeMillis = timeMillis;
        this.clock = clock;
    }

    /** An idle, open plain connection to {@code peer}, most recently used first, or null. */
    public UpstreamConnection acquire(Peer peer) {
        return acquire(peer, null);
    }

    /**
     * An idle, open connection to {@code peer} made with {@code key} (TLS settings and name, null for plain TCP),
     * so an {@code https://} location never gets a plain connection or one verified for another name.
     */
    public UpstreamConnection acquire(Peer peer, Object key) {
        for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
            Idle e = it.next();
            if (e.conn.peer() == peer && java.util.Objects.equals(e.conn.key(), key)) {
                it.remove();
                e.conn.timer().disarm();
                if (e.conn.channel().isActive()) {
                    return e.conn;
                }
                e.conn.close();
            }
        }
        return null;
    }

    /**
     * Keeps {@code c} for reuse if it is open and within {@code keepalive_requests} and {@code keepalive_time};
     * closes it otherwise, and always once the pool is {@link #close() closed}. The caller must only offer a
     * connection whose last response was read completely and that the peer did not ask to close.
     */
    public void release(UpstreamConnection c) {
        if (closed || !c.channel().isActive() || c.requests() >= maxRequests || clock.getAsLong() - c.created() >= timeMillis) {
            c.close();
            return;
        }
        if (idle.size() >= capacity) {
            Idle oldest = idle.removeLast();
            oldest.conn.close();
        }
        Idle e = new Idle(c);
        c.listener(e);
        c.timer().arm(timeoutMillis);
        idle.addFirst(e);
        c.channel().read(); // watch for the peer's close or stray bytes while idle
    }

    private void drop(Idle e) {
        idle.remove(e);
        e.conn.close(); // its timer is disarmed with it
    }

    /** Idle connections held (tests, status). */
    public int size() {
        return idle.size();
    }

    /**
     * Closes every idle connection and keeps none released from now on: the worker is exiting gracefully, and only
     * the requests still in flight need their backends (nginx closes its cached upstream connections with the idle
     * client connections and caches none while exiting).
     */
    public void close() {
        closed = true;
        while (!idle.isEmpty()) {
            drop(idle.peekFirst());
        }
    }
}
