package dev.pier.worker;

import dev.pier.log.ErrorLog;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a listening socket that every worker watches (no {@code reuseport}) fair between the workers.
 *
 * <p>Each worker's epoll instance hangs one wait entry on the socket's wait queue, in the order the workers
 * registered it (Linux puts a non-exclusive entry at the head), and a new connection wakes the entries in that order.
 * Left alone, the split between two workers leaned one way for a server's whole life: 44-62% for the worker started
 * first, the direction varying from start to start (docs/PERFORMANCE.md, sixth part). nginx re-adds its (exclusive,
 * tail-queued) registration every 16 accepts for the same reason; here a re-added entry goes to the head, so re-adding
 * after accepts would favour the busiest worker. Instead every worker re-registers its channel at random intervals
 * ({@link #MIN_MILLIS}..{@link #MAX_MILLIS}), the same for all of them, so no order lasts: measured, 48-53%.
 *
 * <p>A worker rotates only when its configuration has more than one worker ({@code worker_processes}): alone, it has
 * nobody to be fair to. While a reload or a binary upgrade hands over, the other generation's workers watch the
 * socket too; how the connections split between the generations then is not this class's concern (nginx's is no
 * fairer), and nothing queued is lost either way.
 *
 * <p>Re-registering is Netty's deregister then register on the same event loop: {@code epoll_ctl} DEL, ADD and MOD,
 * in one task. The socket stays open throughout; a connection that arrives meanwhile waits in its accept queue, and
 * the ADD reports it at once, so nothing is lost.
 */
final class AcceptRotation {
    static final long MIN_MILLIS = 20;
    static final long MAX_MILLIS = 80;

    private final Channel listener;
    private final ErrorLog log;
    private final LongSupplier nextDelayMillis;
    private long rotations;

    AcceptRotation(Channel listener, ErrorLog log, LongSupplier nextDelayMillis) {
        this.listener = listener;
        this.log = log;
        this.nextDelayMillis = nextDelayMillis;
    }

    /** Starts rotating {@code listener} (registered already) at random intervals until it is closed. */
    static AcceptRotation start(Channel listener, ErrorLog log) {
        return start(listener, log, () -> ThreadLocalRandom.current().nextLong(MIN_MILLIS, MAX_MILLIS + 1));
    }

    static AcceptRotation start(Channel listener, ErrorLog log, LongSupplier nextDelayMillis) {
        AcceptRotation r = new AcceptRotation(listener, log, nextDelayMillis);
        r.schedule();
        return r;
    }

    /** How many times the listener has been registered again (read on its event loop, or after it stopped). */
    long rotations() {
        return rotations;
    }

    private void schedule() {
        listener.eventLoop().schedule(this::rotate, nextDelayMillis.getAsLong(), TimeUnit.MILLISECONDS);
    }

    private void rotate() {
        if (!listener.isOpen()) {
            return;
        }
        EventLoop loop = listener.eventLoop();
        listener.deregister().addListener(d -> {
            if (!listener.isOpen()) {
                return; // closed meanwhile (the worker stops accepting): nothing to register again
            }
            loop.register(listener).addListener(r -> {
                if (r.isSuccess()) {
                    rotations++;
                    schedule();
                } else if (!(r.cause() instanceof ClosedChannelException)) { // not merely closed meanwhile
                    // Netty closes a channel it cannot register: this worker's copy of the socket is gone, the
                    // other workers and the master's copy keep its queue (nothing queued is lost)
                    log.crit("a shared listening socket could not be watched again, this worker stops accepting "
                            + "on it: " + r.cause());
                }
            });
        });
    }
}
