package dev.pier.http;

import dev.pier.log.ErrorLog;
import dev.pier.os.OsException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.Errors;

/**
 * The one handler of a worker's listening channel (nginx's {@code ngx_event_accept}): each accepted connection is
 * registered on the listener's event loop, which completes at once on that loop, and then gets its HTTP pipeline
 * ({@link HttpServerInitializer#assemble}): no initializer handler is added, run and removed per connection as with
 * Netty's bootstrap, and no handler's {@code handlerAdded} waits as a queued task for the registration. A connection
 * over {@code worker_connections} is closed at once, unregistered.
 *
 * <p>A failed accept is logged as nginx logs it: out of descriptors ({@code EMFILE}, {@code ENFILE}) at
 * {@code crit}, after which this socket is not accepted from for 500 ms (nginx's {@code accept_mutex_delay}); a
 * connection aborted before it was accepted at {@code error}; anything else at {@code alert}.
 */
@ChannelHandler.Sharable
public final class HttpAcceptor extends ChannelInboundHandlerAdapter {
    static final long PAUSE_MS = 500;
    private static final int ENFILE = 23;
    private static final int EMFILE = 24;
    private static final int ECONNABORTED = 103;

    private final HttpRuntime runtime;
    private final ListenerRuntime listener;
    private final Connections connections;
    private final ErrorLog log;

    public HttpAcceptor(HttpRuntime runtime, int listenerIndex, Connections connections, ErrorLog log) {
        this.runtime = runtime;
        this.listener = runtime.listener(listenerIndex);
        this.connections = connections;
        this.log = log;
    }

    /**
     * One accepted connection, built and registered within an {@link EventClock} event: its timer is armed with the
     * reading the loop's turn already took, as every connection accepted in one turn is (nginx's accept handler reads
     * the cached time).
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try (var _ = EventClock.begin()) {
            accept(ctx, (Channel) msg);
        }
    }

    private void accept(ChannelHandlerContext ctx, Channel child) {
        if (!connections.reserve()) {
            child.unsafe().closeForcibly(); // over worker_connections: nothing more is spent on it
            return;
        }
        // registered first, on this loop: it completes now, and the handlers added next run their handlerAdded at
        // once instead of each being queued as a task until the registration
        ctx.channel().eventLoop().register(child);
        if (!child.isRegistered()) {
            // the loop is shutting down, or refused the channel: it goes, unregistered, as one over the limit
            child.unsafe().closeForcibly();
            connections.unreserve();
            return;
        }
        try {
            HttpServerInitializer.assemble(child, runtime, listener, connections);
        } catch (RuntimeException e) {
            // a bug, not an accept failure: this connection goes, the listener keeps accepting
            log.alert("could not set up a connection: " + e);
            child.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        int errno = cause instanceof Errors.NativeIoException e ? -e.expectedErr() : 0;
        String message = "accept4() failed (" + (errno > 0 ? errno + ": " + OsException.strerror(errno) : cause) + ")";
        switch (errno) {
            case EMFILE, ENFILE -> {
                log.crit(message);
                // not watched meanwhile (auto-read cannot be turned off: the registration is exclusive)
                ListenerWatch.watchAgain(ctx.channel(), PAUSE_MS, log, () -> { });
            }
            case ECONNABORTED -> log.error(message);
            default -> log.alert(message);
        }
    }
}
