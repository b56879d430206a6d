package dev.pier.http;

import dev.pier.log.ErrorLog;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * Takes a worker's listening channel off its event loop's epoll set and puts it back, at once or after a pause: the
 * one way to stop watching a listening socket for a while, since its registration is exclusive and cannot be
 * modified ({@code io.netty.channel.epoll.PierServerChannel}; nginx deletes and adds its accept events too). A
 * registration added again is queued behind the socket's other exclusive waiters.
 *
 * <p>The socket stays open throughout: a connection that arrives meanwhile waits in its accept queue (or another
 * worker takes it), and the registration reports it as soon as it is added. A channel closed meanwhile (the worker
 * stopped accepting) is left alone. A channel already registered again when its turn comes (two pauses asked for
 * in a row) is left as it is.
 */
public final class ListenerWatch {
    private ListenerWatch() {
    }

    /**
     * Deregisters {@code listener} (on its event loop) and registers it again on that loop after {@code pauseMillis}
     * (0: at once, in the same task), then runs {@code watched} on the loop.
     */
    public static void watchAgain(Channel listener, long pauseMillis, ErrorLog log, Runnable watched) {
        EventLoop loop = listener.eventLoop();
        listener.deregister().addListener(d -> {
            if (pauseMillis == 0) {
                register(listener, loop, log, watched);
            } else {
                loop.schedule(() -> register(listener, loop, log, watched), pauseMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static void register(Channel listener, EventLoop loop, ErrorLog log, Runnable watched) {
        if (!listener.isOpen() || listener.isRegistered()) {
            return; // closed meanwhile (the worker stops accepting), or watched again already
        }
        loop.register(listener).addListener(r -> {
            if (r.isSuccess()) {
                watched.run();
            } else if (!(r.cause() instanceof ClosedChannelException)) { // not merely closed meanwhile
                // Netty closes a channel it cannot register: this worker's copy of the socket is gone, the other
                // workers and the master's copy keep its queue (nothing queued is lost)
                log.crit("a listening socket could not be watched again, this worker stops accepting on it: "
                        + r.cause());
            }
        });
    }
}
