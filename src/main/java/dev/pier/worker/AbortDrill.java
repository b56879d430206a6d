package dev.pier.worker;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigSnapshot;
import dev.pier.config.bind.ConfigLoader;
import dev.pier.config.bind.PierConfig;
import dev.pier.http.AccessLogs;
import dev.pier.http.Connections;
import dev.pier.http.HttpAcceptor;
import dev.pier.http.HttpRuntime;
import dev.pier.log.ErrorLog;
import dev.pier.os.Fds;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.PierServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Drills a new worker in the ways a client abandons a connection, on its own event loop, while its first real traffic
 * is being served: a client that connects and leaves, one that closes right after its request, one that resets the
 * connection with the response unread, one that closes an idle keep-alive connection, one that leaves mid-head.
 *
 * <p>Why: the JIT compiles a worker's read and write paths from what they did while it profiled them. Traffic that
 * never ends a connection from the client's side (a benchmark's, a health check's) leaves those branches out of the
 * compiled code; the first clients that do leave (the load stopping) then throw the compiled event loop code out,
 * and the worker serves on slower code while the compiler builds it again (docs/PERFORMANCE.md, twenty-fifth part).
 * Drilled while it is profiled, the compiled code keeps those branches.
 *
 * <p>The drill has a loopback listening socket of its own, opened by the master (DESIGN.md rule 1: a worker never
 * opens one) and held by no one else, and a configuration of its own that answers {@code return 200} and logs
 * nothing: it never reaches the configuration's servers, upstreams or logs. It runs one exchange every
 * {@value #TICK_MILLIS} ms in which the worker serves connections of its own, {@value #EXCHANGES} in all (an idle
 * worker is not being profiled: the drill then waits for its next connection, with no timer), and closes its socket
 * after the last.
 */
final class AbortDrill {
    static final long TICK_MILLIS = 10;
    static final int EXCHANGES = 300;
    /** The ways a client leaves, drilled in turn (see {@link #step}). */
    static final int KINDS = 5;
    /** The drill's own connection limit, not {@code worker_connections}: a connection over it is closed at once. */
    static final int CONNECTIONS = 64;

    // The listen address is a placeholder the configuration needs to be valid: it is never bound, the drill's socket
    // comes from the master (start), and the acceptor serves whatever that socket accepts with this server.
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:1;
                    location / { return 200 "pier warm-up\\n"; }
                }
            }
            """;
    private static final byte[] REQUEST = "GET /pier-warm-up HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] OK = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);

    private final EventLoop loop;
    private final PierServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Activity real;
    private final BooleanSupplier stopping;
    private final int budget;
    private final ErrorLog log;
    private final ByteBuffer request = ByteBuffer.allocateDirect(REQUEST.length).put(REQUEST).flip();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
    private final Connections connections = new Connections(CONNECTIONS, ErrorLog.silent());
    /** The drill's client sockets not closed yet (on the loop). */
    private final Set<LinuxSocket> clients = new HashSet<>();
    private int started;
    private int accepted;
    private int answered;
    private ScheduledFuture<?> ticks;
    private boolean done;

    private AbortDrill(EventLoop loop, PierServerSocketChannel listener, InetSocketAddress address,
                       Activity real, BooleanSupplier stopping, int budget, ErrorLog log) {
        this.loop = loop;
        this.listener = listener;
        this.address = address;
        this.real = real;
        this.stopping = stopping;
        this.budget = budget;
        this.log = log;
    }

    /**
     * Starts drilling on {@code loop} with the loopback listening socket {@code fd} (owned by the drill from now on):
     * an exchange in every tick in which the worker has {@code real} connections open, until {@code budget} exchanges were made or
     * {@code stopping} says the worker is shutting down; the end is logged at info level.
     */
    static AbortDrill start(EventLoop loop, int fd, Activity real, BooleanSupplier stopping, int budget,
                            ErrorLog log) throws ConfigException, IOException, InterruptedException {
        HttpRuntime runtime;
        PierServerSocketChannel ch;
        try {
            Fds.setNonBlocking(fd);
            runtime = runtime();
            ch = new PierServerSocketChannel(fd);
        } catch (ConfigException | IOException | RuntimeException e) {
            Fds.closeQuietly(fd);
            throw e;
        }
        // where the master bound it (127.0.0.1, or ::1 when the JVM prefers IPv6 addresses)
        InetSocketAddress address = ch.localAddress();
        AbortDrill drill = new AbortDrill(loop, ch, address, real, stopping, budget, log);
        ch.pipeline().addLast(drill.new Count(), new HttpAcceptor(runtime, 0, drill.connections, ErrorLog.silent()));
        loop.register(ch).sync();
        loop.execute(drill::resume);
        // a step still scheduled when the loop shuts down never runs: its client socket is closed then instead
        if (loop instanceof SingleThreadEventExecutor e) {
            e.addShutdownHook(drill::closeClients);
        }
        return drill;
    }

    /**
     * The worker's own connections, as the drill sees them: how many are open now, and a way to run a task once when
     * the next one opens (at once if one is open; on any thread), as {@link dev.pier.http.Connections} gives them.
     */
    record Activity(IntSupplier open, Consumer<Runnable> whenNextOpened) {
    }

    /** The drill's own configuration, bound from memory. */
    static HttpRuntime runtime() throws ConfigException {
        Path file = Path.of("/pier-abort-drill.conf");
        ConfigSnapshot text = new ConfigSnapshot(Map.of(file, CONFIG.getBytes(StandardCharsets.US_ASCII)), Map.of());
        PierConfig config = ConfigLoader.load(file, Path.of("/"), List.of(), text);
        return HttpRuntime.compile(config.http(), ErrorLog.silent(), AccessLogs.discarding());
    }

    /** Ticks again (on the loop): the drill started, or a connection came after a pause. */
    private void resume() {
        if (ticks == null && !done) {
            ticks = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        if (started >= budget || stopping.getAsBoolean()) {
            finish();
        } else if (real.open().getAsInt() > 0) {
            exchange(started++ % KINDS);
        } else { // nothing being served: no timer while idle, the next connection resumes the drill
            ticks.cancel(false);
            ticks = null;
            real.whenNextOpened().accept(() -> loop.execute(this::resume));
        }
    }

    /** Stops drilling; the socket closes once the last exchange has had time to end. */
    private void finish() {
        if (!done) {
            done = true;
            ticks.cancel(false);
            ticks = null;
            loop.schedule(() -> {
                listener.close();
                log.info("abort drill done: " + started + " exchanges, " + accepted + " connections");
            }, 50, TimeUnit.MILLISECONDS);
        }
    }

    /** One exchange of the given kind (on the loop): its steps follow on timers of the loop. */
    void exchange(int kind) {
        LinuxSocket s;
        try {
            s = LinuxSocket.newSocketStream(address.getAddress() instanceof Inet6Address);
        } catch (RuntimeException e) {
            return; // out of descriptors: the next tick tries again
        }
        clients.add(s);
        try {
            s.connect(address); // non-blocking: on loopback the handshake is done long before the next step
        } catch (IOException e) {
            close(s);
            return;
        }
        loop.schedule(() -> step(s, kind), 1, TimeUnit.MILLISECONDS);
    }

    private void step(LinuxSocket s, int kind) {
        try {
            switch (kind) {
                case 0 -> close(s); // connects and leaves
                case 1 -> { // closes right after its request
                    write(s, REQUEST.length);
                    close(s);
                }
                case 2 -> { // leaves the response unread: closing then resets the connection
                    write(s, REQUEST.length);
                    loop.schedule(() -> close(s), 2, TimeUnit.MILLISECONDS);
                }
                case 3 -> { // reads its response, then closes the idle keep-alive connection
                    write(s, REQUEST.length);
                    loop.schedule(() -> {
                        try {
                            int n = s.read(scratch, 0, scratch.capacity());
                            if (n >= OK.length && scratch.slice(0, OK.length).equals(ByteBuffer.wrap(OK))) {
                                answered++;
                            }
                        } catch (IOException e) {
                            // nothing read: it closes all the same
                        }
                        close(s);
                    }, 2, TimeUnit.MILLISECONDS);
                }
                default -> { // leaves mid-head
                    write(s, 10);
                    close(s);
                }
            }
        } catch (IOException e) {
            close(s);
        }
    }

    private void write(LinuxSocket s, int length) throws IOException {
        s.write(request, 0, length);
    }

    private void close(LinuxSocket s) {
        clients.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Closes the client sockets whose steps will not run: the loop is shutting down (on the loop). */
    private void closeClients() {
        for (LinuxSocket s : List.copyOf(clients)) {
            close(s);
        }
    }

    /** Exchanges begun so far (read on the event loop, or after the drill ended). */
    int started() {
        return started;
    }

    /** Connections the drill's listener accepted so far (read on the event loop, or after the drill ended). */
    int accepted() {
        return accepted;
    }

    /** Exchanges that read their response and found a 200 (read on the event loop, or after the drill ended). */
    int answered() {
        return answered;
    }

    /** The drill's connections still open on the serving side. */
    int open() {
        return connections.open();
    }

    /** The drill's client sockets not closed yet. */
    int clients() {
        return clients.size();
    }

    /** Where the drill's socket is bound. */
    InetSocketAddress address() {
        return address;
    }

    boolean listening() {
        return listener.isOpen();
    }

    /** Counts the drill's accepted connections on their way to its acceptor. */
    @ChannelHandler.Sharable
    private final class Count extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            accepted++;
            ctx.fireChannelRead(msg);
        }
    }
}
