package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import dev.pier.os.SocketQueues;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.UnixChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's state, confined to its event loop: requests served, responses in flight, whether bytes of
 * a new request have arrived (DESIGN.md Rule 6: such a connection is busy, never closed as idle) and its one timer
 * (nginx's {@code client_header_timeout} while a request head is awaited, {@code keepalive_timeout} between requests,
 * {@code client_body_timeout} while a taken-over request's body is awaited).
 */
final class HttpConnection {
    /** How long after a response a kept-alive connection is left open for its next request at graceful shutdown. */
    static final long SHUTDOWN_GRACE_MILLIS = 200;

    /** What the one timer is measuring. */
    private enum Wait { HEAD, KEEPALIVE, BODY }

    final Channel channel;
    final HttpRuntime runtime;
    final ListenerRuntime listener;
    final SelectionTable table;
    final Connections connections;
    /** Responses' last writes and what runs once the socket took them ({@link WrittenResponses#writeLast}). */
    final WrittenResponses written;
    /** {@code $connection}: a serial number per worker, as nginx's {@code c->number}. */
    final long number = SERIAL.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();

    private int requests;
    private int inFlight;
    private boolean betweenRequests = true;
    private boolean closing;
    private boolean lingering;
    private boolean inRead;
    /** The one timer: header, body or keep-alive timeout, as {@link #waiting} says. */
    private final LoopTimer timer;
    private String remoteAddr;
    /** The last valid Host as sent and as normalized ({@link #host}). */
    private String rawHost;
    private String host;
    /** The last valid request target as sent and as parsed ({@link #target}), and the merge_slashes it was for. */
    private String rawTarget;
    private RequestTarget target;
    private boolean targetMerged;
    private String serverPort;
    /** When the last response ended (the event loop's clock). */
    private long lastResponseAt;
    private Wait waiting = Wait.HEAD;
    private Runnable onBodyTimeout;
    /** What {@link #whenClosed} left for the close. */
    private Runnable onClose;
    /** The default server's server-level limits: they govern reading request heads (nginx's srv_conf). */
    private final LimitsConf limits;
    /** The limits of the location serving the latest request (send, body, lingering and reset settings). */
    private LimitsConf current;
    private dev.pier.log.ErrorLog requestLog;

    /** {@code loop}: the event loop {@code channel} is or will be registered on (its timer runs there). */
    HttpConnection(Channel channel, EventLoop loop, HttpRuntime runtime, ListenerRuntime listener,
                   Connections connections) {
        this.channel = channel;
        this.written = new WrittenResponses(channel);
        this.runtime = runtime;
        this.listener = listener;
        this.table = listener.select(channel);
        this.connections = connections;
        this.limits = table.defaultServer().locations().serverLevel().limits();
        this.current = limits;
        this.timer = new LoopTimer(loop, this::timedOut);
    }

    /**
     * Its serial number's hash ({@link Connections} keeps the open ones in a hash set): equal only to itself, as
     * before, without an identity hash to generate and install in the object's header once per connection.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(number);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    /** A fresh connection, now registered, waits for its first request head under the header timeout. */
    void start() {
        schedule(Wait.HEAD, limits.clientHeaderTimeoutMs());
    }

    /**
     * The log of connection-level messages (timeouts, bad request heads): the default server's, as nginx sets
     * {@code c->log} from the listening socket's default server.
     */
    dev.pier.log.ErrorLog log() {
        return table.defaultServer().locations().serverLevel().errorLog().forConnection(number);
    }

    /** The limits for reading request heads. */
    LimitsConf limits() {
        return limits;
    }

    /** The limits of the latest request's location (the default server's until a location is chosen). */
    LimitsConf current() {
        return current;
    }

    /** The latest request's location: its limits, and its error log for what happens on the connection next. */
    void current(Location l) {
        current = l.limits();
        requestLog = l.errorLog();
    }

    /**
     * The log of messages about the latest request that are not tied to its {@link Exchange} (send and body
     * timeouts, a broken body): that request's location's, as nginx's {@code c->log} once a location is found; the
     * default server's before.
     */
    dev.pier.log.ErrorLog requestLog() {
        dev.pier.log.ErrorLog l = requestLog;
        return l != null ? l.forConnection(number) : log();
    }

    /** Whether the last request ended with nothing of a next one received. */
    boolean betweenRequests() {
        return betweenRequests;
    }

    /**
     * Starts (or, with {@code onTimeout} null, stops) {@code client_body_timeout} for a taken-over request whose
     * body is still arriving; every piece of it restarts the timer, as nginx's timer runs between two reads.
     */
    void bodyTimer(Runnable onTimeout) {
        onBodyTimeout = onTimeout;
        if (onTimeout == null) {
            if (waiting == Wait.BODY) {
                cancelTimer();
            }
            return;
        }
        schedule(Wait.BODY, current.clientBodyTimeoutMs());
    }

    /**
     * nginx's {@code c->timedout} close: at once, with a reset instead of a FIN when
     * {@code reset_timedout_connection} is on (the socket's buffers are freed; an unsent response is dropped).
     */
    void closeTimedOut() {
        markClosing();
        if (current.resetTimedoutConnection() && channel.isOpen()) {
            try {
                channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // a channel without SO_LINGER (tests): a plain close
            }
        }
        channel.close();
    }

    /** The decoder got bytes: the connection is no longer between requests (a next one has begun to arrive). */
    void bytesArrived() {
        betweenRequests = false;
    }

    /**
     * A read ended with a request head still incomplete: {@code client_header_timeout} runs from now, unless it runs
     * for this head already (since the connection opened, or since an earlier read of this head) or a response is
     * in flight (it starts when that is done). nginx arms it the same way, at the first read that leaves a head
     * incomplete, and not again; a head that arrives whole in one read never touches the timers (a kept-alive
     * connection's keep-alive timer is disarmed when its request starts).
     */
    void headIncomplete() {
        if (inFlight == 0 && !(waiting == Wait.HEAD && timer.armed())) {
            schedule(Wait.HEAD, limits.clientHeaderTimeoutMs());
        }
    }

    /** The decoder finished a request and holds no further bytes. */
    void requestBoundary() {
        betweenRequests = true;
    }

    /** A request head was decoded; returns its 1-based number on this connection. */
    int requestStarted() {
        cancelTimer();
        inFlight++;
        return ++requests;
    }

    /** The last byte of a kept-alive response was written. */
    void responseDone(long keepaliveMillis) {
        inFlight--;
        if (closing || inFlight > 0) {
            return;
        }
        lastResponseAt = now();
        if (idle()) {
            if (connections.shuttingDown()) {
                shutdownIfIdle();
            } else {
                waiting = Wait.KEEPALIVE;
                timer.arm(keepaliveMillis, lastResponseAt); // one clock reading for both
            }
        } else {
            schedule(Wait.HEAD, limits.clientHeaderTimeoutMs());
        }
    }

    /** Idle = kept alive after a response, with no byte of a new request received: safe to close. */
    boolean idle() {
        return requests > 0 && inFlight == 0 && betweenRequests && !closing;
    }

    /**
     * Runs on the event loop when graceful shutdown begins: idle connections go, busy ones after their response.
     * A connection that answered within the last {@link #SHUTDOWN_GRACE_MILLIS} is closed only when that much time
     * has passed since: its client is most likely about to send its next request, and a close now would cross it
     * (the request meets a FIN or a reset: lost). A request that arrives meanwhile is answered with
     * {@code Connection: close}.
     */
    void shutdownIfIdle() {
        if (!idle()) {
            return;
        }
        long left = TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MILLIS) - (now() - lastResponseAt);
        if (left > 0) {
            schedule(Wait.KEEPALIVE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } else {
            closeIdle();
        }
    }

    /**
     * Closes an idle keep-alive connection, unless a request is already waiting unread in the socket (the client
     * sent it before it could see our close): then that request is served, with {@code Connection: close}, as
     * DESIGN.md rule 6 requires. The close itself lingers, so a request racing with it meets a FIN, never a reset.
     */
    void closeIdle() {
        if (channel instanceof UnixChannel u && SocketQueues.unread(u.fd().intValue()) > 0) {
            // a request is waiting in the socket: make sure it is read (the response will say Connection: close)
            channel.config().setAutoRead(true);
            channel.read();
            return;
        }
        markClosing();
        LingeringClose.start(this);
    }

    /** The first call (the connection starts its lingering close) answers true, every later one false. */
    boolean beginLingering() {
        if (lingering) {
            return false;
        }
        lingering = true;
        return true;
    }

    boolean closing() {
        return closing;
    }

    /** No more responses after the current one: later pipelined requests are dropped, as nginx does. */
    void markClosing() {
        closing = true;
        cancelTimer();
    }

    void close() {
        markClosing();
        channel.close();
    }

    boolean inRead() {
        return inRead;
    }

    void inRead(boolean on) {
        inRead = on;
    }

    String remoteAddr() {
        if (remoteAddr == null) {
            remoteAddr = channel.remoteAddress() instanceof InetSocketAddress isa
                    ? isa.getAddress().getHostAddress() : "unix:";
        }
        return remoteAddr;
    }

    String remotePort() {
        return channel.remoteAddress() instanceof InetSocketAddress isa ? Integer.toString(isa.getPort()) : "";
    }

    /** The address that accepted the connection; for a Unix socket {@code unix:PATH}, as nginx has it. */
    String serverAddr() {
        return channel.localAddress() instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress()
                : listener.unixName();
    }

    /** The port that accepted the connection; empty for a Unix socket, as nginx has it. */
    String serverPort() {
        if (serverPort == null) {
            serverPort = channel.localAddress() instanceof InetSocketAddress isa ? Integer.toString(isa.getPort())
                    : listener.configuredPort();
        }
        return serverPort;
    }

    /** Arms the connection's one timer ({@link LoopTimer}: once per keep-alive request it is a field write). */
    private void schedule(Wait what, long millis) {
        waiting = what;
        timer.arm(millis);
    }

    /** The event loop's clock (a test's EmbeddedChannel advances it by hand). */
    private long now() {
        return timer.now();
    }

    /** Disarms: the timer leaves the loop's timers ({@link LoopTimers}), a few field writes. */
    private void cancelTimer() {
        timer.disarm();
    }

    /**
     * The connection closed: its timer is disarmed now. Left armed, it would keep this connection (its channel,
     * pipeline and buffers) reachable from the loop until {@code client_header_timeout} or {@code keepalive_timeout}
     * passed: under a stream of short connections that is a minute of closed connections
     * in the heap (seen as a worker growing to its heap limit and stalling in full collections).
     */
    void closed() {
        onBodyTimeout = null;
        timer.disarm();
        Runnable r = onClose;
        onClose = null;
        if (r != null) {
            r.run();
        }
    }

    /**
     * Runs {@code r} on the loop when this connection closes, or now if it has: one at a time, for what a request
     * holds open with the connection (a proxied request's upstream). The connection's own close notification runs
     * it, so a request spares adding (and taking back) a listener on the channel's close future, whose listeners
     * are kept in a synchronized list.
     */
    void whenClosed(Runnable r) {
        if (!channel.isOpen()) {
            r.run();
            return;
        }
        onClose = r;
    }

    /** {@code r} no longer runs at the close ({@link #whenClosed}). */
    void notWhenClosed(Runnable r) {
        if (onClose == r) {
            onClose = null;
        }
    }

    private void timedOut() {
        if (waiting == Wait.BODY) {
            Runnable r = onBodyTimeout;
            onBodyTimeout = null;
            if (r != null) {
                r.run();
            }
            return;
        }
        if (inFlight != 0) {
            return;
        }
        if (idle()) {
            closeIdle(); // keep-alive expired: nginx closes silently
        } else {
            // ngx_http_read_request_header: no response, an info line, the connection closed (reset if asked)
            log().info("client timed out (110: Connection timed out) while "
                    + (requests == 0 && betweenRequests ? "waiting for request" : "reading client request headers")
                    + ", client: " + remoteAddr());
            closeTimedOut();
        }
    }

    /**
     * {@link HostName#normalize} of {@code raw}, remembered for the next request: a keep-alive client sends the same
     * Host each time, as the same string ({@code RequestHeadScanner} reuses a repeated line's strings).
     */
    String host(String raw) {
        if (raw == rawHost) {
            return host;
        }
        String h = HostName.normalize(raw);
        if (h != null) {
            rawHost = raw;
            host = h;
        }
        return h;
    }

    /**
     * {@link RequestTarget#parse(String, boolean)} of {@code raw}, remembered for the next request as {@link #host}
     * is: a repeated target is the same string ({@code RequestHeadScanner} reuses it).
     */
    RequestTarget target(String raw, boolean mergeSlashes) {
        if (raw == rawTarget && mergeSlashes == targetMerged) {
            return target;
        }
        RequestTarget t = RequestTarget.parse(raw, mergeSlashes);
        if (t != null) {
            rawTarget = raw;
            target = t;
            targetMerged = mergeSlashes;
        }
        return t;
    }
}
