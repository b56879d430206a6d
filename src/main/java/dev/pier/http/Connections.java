package dev.pier.http;

import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every open client connection of one worker, across event loops: enforces {@code worker_connections} and drives
 * graceful (DESIGN.md Rule 6) and fast shutdown.
 */
public final class Connections {
    private final int max;
    private final ErrorLog log;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong lastAlertSecond = new AtomicLong(-1);
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private volatile boolean shuttingDown;
    /** Run once by the next {@link #reserve} that succeeds ({@link #whenNextOpened}). */
    private final AtomicReference<Runnable> whenOpened = new AtomicReference<>();

    public Connections(int max, ErrorLog log) {
        if (max < 1) {
            throw new IllegalArgumentException("worker_connections " + max);
        }
        this.max = max;
        this.log = log;
    }

    public Connections(int max) {
        this(max, ErrorLog.stderr(LogLevel.ALERT));
    }

    /**
     * Takes a place for a new connection; {@code false} (and an alert at most once a second) when over the limit.
     * The place is the connection's once {@link #add}ed, or given back with {@link #unreserve}.
     */
    boolean reserve() {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            long second = System.currentTimeMillis() / 1000;
            long last = lastAlertSecond.get();
            if (last != second && lastAlertSecond.compareAndSet(last, second)) {
                log.alert(max + " worker_connections are not enough");
            }
            return false;
        }
        if (whenOpened.get() != null) {
            Runnable r = whenOpened.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
        return true;
    }

    /**
     * Runs {@code r} once, on the thread that takes the next connection's place (at once if one is open now): how
     * something that works only while connections are open waits for them without a timer.
     */
    public void whenNextOpened(Runnable r) {
        whenOpened.set(r);
        if (count.get() > 0 && whenOpened.compareAndSet(r, null)) {
            r.run();
        }
    }

    /** A place {@link #reserve}d for a connection that could not be set up is free again. */
    void unreserve() {
        if (count.decrementAndGet() == 0 && shuttingDown) {
            allClosed.complete(null);
        }
    }

    /** The connection {@link #reserve}d for is open; its place is free again when it has closed. */
    void add(HttpConnection c) {
        open.add(c);
        c.channel.closeFuture().addListener(f -> remove(c));
    }

    private void remove(HttpConnection c) {
        try {
            c.closed(); // runs what a request had waiting for the close (a proxied request's end)
        } finally {
            if (open.remove(c)) {
                unreserve();
            }
        }
    }

    public int open() {
        return count.get();
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Idle keep-alive connections close now; a connection with a request in flight or arriving finishes it, answers
     * with {@code Connection: close} and closes.
     */
    public void beginGracefulShutdown() {
        shuttingDown = true;
        for (HttpConnection c : open) {
            c.channel.eventLoop().execute(c::shutdownIfIdle);
        }
        completeIfEmpty();
    }

    /** Fast shutdown: closes every connection now. */
    public void closeAll() {
        shuttingDown = true;
        for (HttpConnection c : open) {
            c.channel.close();
        }
        completeIfEmpty();
    }

    /** Completes once shutdown has begun and the last connection has closed. */
    public CompletableFuture<Void> allClosed() {
        return allClosed;
    }

    private void completeIfEmpty() {
        if (count.get() == 0) {
            allClosed.complete(null);
        }
    }
}
