package dev.pier.worker;

import dev.pier.http.ListenerWatch;
import dev.pier.log.ErrorLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Keeps a listening socket that every worker watches (no {@code reuseport}) fair between the workers, as nginx does
 * since 1.21.6: after every {@link #EVERY} connections it accepted, a worker registers the socket again.
 *
 * <p>Each worker's epoll instance hangs one exclusive entry on the socket's wait queue
 * ({@code io.netty.channel.epoll.PierServerChannel}), queued in the order the workers registered it, and a new
 * connection wakes the first entry whose worker sleeps in {@code epoll_wait}. Left alone, the worker that registered
 * first would take every connection that arrives while it is idle. An entry added again goes to the tail, so the
 * worker that has just taken its share lets the others go first; a busy worker is skipped anyway and rotates less.
 * Nothing is spent while the socket is idle (the re-registration follows accepts, no timer).
 *
 * <p>A worker rotates only when its configuration has more than one worker ({@code worker_processes}): alone, it has
 * nobody to be fair to. While a reload or a binary upgrade hands over, the other generation's workers watch the
 * socket too; how the connections split between the generations then is not this class's concern, and nothing
 * queued is lost either way.
 *
 * <p>It sits in the listening channel's pipeline before the acceptor, counting what passes. Re-registering is Netty's
 * deregister then register on the same event loop ({@code epoll_ctl} DEL and ADD, in one task, after the accepts of
 * a wake-up; {@link ListenerWatch}): the socket stays open throughout, a connection that arrives meanwhile waits in
 * its accept queue or wakes another worker, and the ADD reports it at once, so nothing is lost.
 */
final class AcceptRotation extends ChannelInboundHandlerAdapter {
    /** nginx's number ({@code ngx_reorder_accept_events}). */
    static final int EVERY = 16;

    private final ErrorLog log;
    private final int every;
    private int accepted;
    private long rotations;

    AcceptRotation(ErrorLog log) {
        this(log, EVERY);
    }

    AcceptRotation(ErrorLog log, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every " + every);
        }
        this.log = log;
        this.every = every;
    }

    /** How many times the listener has been registered again (read on its event loop, or after it stopped). */
    long rotations() {
        return rotations;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        accepted++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (accepted >= every) {
            accepted = 0;
            ListenerWatch.watchAgain(ctx.channel(), 0, log, () -> rotations++);
        }
        ctx.fireChannelReadComplete();
    }
}
