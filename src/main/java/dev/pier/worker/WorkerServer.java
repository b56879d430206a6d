package dev.pier.worker;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.Listener;
import dev.pier.config.bind.PierConfig;
import dev.pier.http.Connections;
import dev.pier.http.HttpAcceptor;
import dev.pier.http.HttpRuntime;
import dev.pier.log.ErrorLog;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;
import dev.pier.os.OsException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.epoll.PierServerDomainSocketChannel;
import io.netty.channel.epoll.PierServerSocketChannel;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The serving part of a worker: adopts listening descriptors it was given (it never binds: DESIGN.md rule 1) as Netty
 * epoll server channels on one event loop, and shuts down gracefully (rule 6) or at once. Used by worker JVMs and,
 * in-process, by {@code master_process off}.
 */
public final class WorkerServer {
    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final Connections connections;
    private final HttpRuntime runtime;
    /** The shared listeners whose registration rotates ({@link AcceptRotation}). */
    private final int rotating;

    private WorkerServer(EventLoopGroup group, List<Channel> listeners, Connections connections, HttpRuntime runtime,
                         int rotating) {
        this.group = group;
        this.listeners = listeners;
        this.connections = connections;
        this.runtime = runtime;
        this.rotating = rotating;
    }

    /** A last step before the first connection is accepted (a worker gives up root there). */
    @FunctionalInterface
    public interface BeforeServing {
        void run() throws IOException;
    }

    /**
     * Starts serving {@code config}'s listeners on {@code fds} (one per listener, in {@link PierConfig#listenSpecs()}
     * order). The descriptors become owned by the returned server: it closes them (never shuts them down: rule 4).
     */
    public static WorkerServer start(PierConfig config, int[] fds, ErrorLog log)
            throws InterruptedException, ConfigException {
        try {
            return start(config, fds, log, () -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a no-op step cannot fail
        }
    }

    /**
     * As {@link #start(PierConfig, int[], ErrorLog)}, running {@code beforeServing} once everything that may need
     * the process's start-up privileges is done (the runtime compiled, the event loop and its native transport
     * loaded) and before any listener is registered, so not one connection is accepted before it; if it fails,
     * nothing was served.
     */
    public static WorkerServer start(PierConfig config, int[] fds, ErrorLog log, BeforeServing beforeServing)
            throws InterruptedException, ConfigException, IOException {
        return start(config, fds, log, beforeServing, Optional.empty());
    }

    /** As above, on {@code started} (a spare's event loop, already running) when given: the server owns it then. */
    public static WorkerServer start(PierConfig config, int[] fds, ErrorLog log, BeforeServing beforeServing,
                                     Optional<EventLoopGroup> started)
            throws InterruptedException, ConfigException, IOException {
        List<Listener> ls = config.http().listeners();
        if (ls.size() != fds.length) {
            throw new IllegalArgumentException(fds.length + " descriptors for " + ls.size() + " listeners");
        }
        HttpRuntime runtime = HttpRuntime.compile(config.http(), log);
        Connections connections = new Connections(config.events().workerConnections(), log);
        EventLoopGroup group = started.orElseGet(WorkerLoop::newGroup);
        List<Channel> channels = new ArrayList<>();
        int rotating = 0;
        try {
            beforeServing.run();
            for (int i = 0; i < fds.length; i++) {
                int fd = fds[i];
                boolean unix = ls.get(i).spec().address() instanceof ListenAddress.Unix;
                ServerChannel ch = adopt(fd, unix);
                // TCP_NODELAY (nginx's tcp_nodelay on): the master sets it on the listening socket and every
                // accepted connection inherits it (PierServerSocketChannel sets it per connection only on a socket
                // without it, one an older binary handed over)
                boolean shared = !ls.get(i).spec().reuseport();
                if (shared) {
                    // A socket every worker watches: accept one connection per wake-up, so the worker that is
                    // least busy (first back in epoll_wait) takes the next one, instead of one worker draining the
                    // whole queue in a batch; its registration is exclusive (one sleeping worker woken per
                    // connection, as nginx's EPOLLEXCLUSIVE)
                    ch.config().setRecvByteBufAllocator(new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1));
                }
                if (shared && config.main().workerProcesses() > 1) {
                    // and each worker in turn first in the socket's queue. A lone worker has nobody to be fair to
                    // (another generation's workers watch the socket only while a reload or an upgrade hands over)
                    ch.pipeline().addLast(new AcceptRotation(log));
                    rotating++;
                }
                ch.pipeline().addLast(new HttpAcceptor(runtime, i, connections, log));
                group.register(ch).sync();
                channels.add(ch);
            }
        } catch (RuntimeException | InterruptedException | IOException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        return new WorkerServer(group, List.copyOf(channels), connections, runtime, rotating);
    }

    /**
     * Wraps a received descriptor as a Netty server channel. Netty adopts a descriptor as it is, and a worker shares
     * each listening socket's file description with the master and, during a reload or upgrade, with other workers:
     * it must be non-blocking, or a worker that loses the race for a connection blocks in accept() (a master of an
     * older binary may have handed it over blocking).
     */
    private static ServerChannel adopt(int fd, boolean unix) throws IOException {
        try {
            Fds.setNonBlocking(fd);
        } catch (OsException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return unix ? new PierServerDomainSocketChannel(fd) : new PierServerSocketChannel(fd);
    }

    /**
     * Starts the abort drill ({@link AbortDrill}) on the loopback listening socket {@code fd} the master opened for it
     * (owned by the drill from now on). Best effort: a drill that cannot start is reported and the worker serves on.
     */
    public void drillAborts(int fd, ErrorLog log) {
        try {
            AbortDrill.start(group.next(), fd, new AbortDrill.Activity(connections::open, connections::whenNextOpened),
                    connections::shuttingDown, AbortDrill.EXCHANGES, log);
        } catch (ConfigException | IOException | RuntimeException e) {
            log.info("no abort drill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Its listening channels, in the configuration's order. */
    List<Channel> listeners() {
        return listeners;
    }

    /** How many of its listeners rotate their registration ({@link AcceptRotation}). */
    int rotatingListeners() {
        return rotating;
    }

    public Connections connections() {
        return connections;
    }

    /**
     * A retiring slot (the pool shrank): the master has already steered new connections away from this worker's
     * reuseport sockets at {@code drain}. Close the other listeners now, keep accepting on those until each one's
     * accept queue has been empty for {@code quietMillis} (handshakes begun before the steering land there), then
     * complete. Nothing queued on a socket is ever dropped (DESIGN.md rule 3).
     */
    public CompletableFuture<Void> retire(List<Integer> drain, long quietMillis) {
        List<Channel> keep = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            if (drain.contains(i)) {
                keep.add(listeners.get(i));
            } else {
                listeners.get(i).close();
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] quietSince = {System.nanoTime()};
        var loop = group.next();
        var task = loop.scheduleAtFixedRate(() -> {
            boolean empty = true;
            for (Channel c : keep) {
                if (c instanceof UnixChannel e && c.isOpen()) {
                    try {
                        empty &= dev.pier.os.AcceptQueues.length(e.fd().intValue()) == 0;
                    } catch (OsException ex) {
                        // closed under us: nothing left to drain there
                    }
                }
            }
            long now = System.nanoTime();
            if (!empty) {
                quietSince[0] = now;
            } else if (now - quietSince[0] >= TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                done.complete(null);
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
        // complete off the event loop: what follows (closing listeners, waiting) must not run on it
        return done.whenCompleteAsync((v, t) -> task.cancel(false));
    }

    /** Closes this worker's copies of the listening sockets; the master's copies keep their queues. */
    public void stopAccepting() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
    }

    /**
     * Stops accepting, lets requests in flight finish (each keep-alive connection closes after its current
     * response, idle ones at once, and so do idle upstream keep-alive connections), then stops the event loop. With a timeout, whatever is left is closed then.
     */
    public CompletableFuture<Void> shutdownGracefully(Optional<Duration> timeout) {
        stopAccepting();
        connections.beginGracefulShutdown();
        runtime.exiting(); // idle upstream connections close with the idle client connections
        CompletableFuture<Void> drained = connections.allClosed();
        if (timeout.isPresent()) {
            drained = drained.completeOnTimeout(null, timeout.get().toMillis(), TimeUnit.MILLISECONDS);
        }
        // async: the last connection closes on an event loop, which closeNow() must not block
        return drained.thenRunAsync(this::closeNow);
    }

    /** Reopens the access logs (USR1, log rotation): buffered lines go to the old file first. Not on an event loop. */
    public void reopenLogs() {
        runtime.accessLogs().reopen();
    }

    /**
     * Closes every listener and connection now and stops the event loop, then writes out every access-log line
     * still buffered: a worker never loses a logged request on its way out.
     */
    public void closeNow() {
        for (Channel c : listeners) {
            c.close();
        }
        connections.closeAll();
        // no wait for the event loop to terminate: the process exits right after, and a fast stop must be fast
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        runtime.accessLogs().flushAndClose();
    }
}
