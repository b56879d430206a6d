package dev.pier.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;

import java.util.concurrent.TimeUnit;

/**
 * One deadline on an event loop that is moved far more often than it expires: a connection's header, body and
 * keep-alive timeouts, a backend connection's send, read and idle timeouts. The scheduled task is reused: moving the
 * deadline later (once per request) only writes a field, and the task re-arms itself for the remainder when it fires
 * early; only a deadline earlier than the pending task schedules a new one. Disarming writes a field too, so the
 * loop's timer queue sees about one operation per timeout period instead of two per request. {@link #cancel()} takes
 * the task out of the queue, which must happen when the owner is done with: a pending task keeps the owner
 * reachable until it fires. Confined to its event loop.
 */
public final class LoopTimer {
    private static final Ticker SYSTEM = Ticker.systemTicker();

    private final EventLoop loop;
    private final Runnable onExpiry;
    private ScheduledFuture<?> task;
    /** When {@link #task} fires and when the deadline really is (the event loop's ticker, in nanoseconds). */
    private long taskAt;
    private long deadline;
    private boolean armed;

    public LoopTimer(EventLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** The deadline is {@code millis} from now (replacing any earlier one). */
    public void arm(long millis) {
        arm(millis, now());
    }

    /** The deadline is {@code millis} from {@code now}, a reading of {@link #now()} the caller just made. */
    public void arm(long millis, long now) {
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        armed = true;
        if (task != null && taskAt - deadline <= 0) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        schedule(millis, deadline);
    }

    /** No deadline any more; the pending task, if any, finds none when it fires and ends. */
    public void disarm() {
        armed = false;
    }

    /** No deadline, and the pending task leaves the event loop's queue now. */
    public void cancel() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /**
     * The event loop's clock: the current event's reading ({@link EventClock}) on a loop that runs on the system's
     * clock, or the loop's own ticker (a test's EmbeddedChannel advances it by hand).
     */
    public long now() {
        Ticker ticker = loop.ticker();
        return ticker == SYSTEM ? EventClock.nanoTime() : ticker.nanoTime();
    }

    private void schedule(long millis, long at) {
        taskAt = at;
        task = loop.schedule(this::fired, millis, TimeUnit.MILLISECONDS);
    }

    private void fired() {
        task = null;
        if (!armed) {
            return;
        }
        long left = deadline - now();
        if (left > 0) {
            schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), deadline);
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
