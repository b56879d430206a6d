package dev.pier.http;

import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * One deadline on an event loop that is moved far more often than it expires: a connection's header, body and
 * keep-alive timeouts, a backend connection's send, read and idle timeouts. It is kept with the loop's other timers
 * of the same duration ({@link LoopTimers}), not as a task in the loop's scheduler: arming, moving and disarming
 * are a few field writes, and nothing of the timer's owner is reachable from the loop once it is disarmed. Confined
 * to its event loop.
 */
public final class LoopTimer {
    private final EventLoop loop;
    private final Runnable onExpiry;
    /** The loop's timers, found at the first {@link #arm} (on the loop's thread). */
    private LoopTimers timers;
    /** The line this timer is armed in, null while disarmed; its neighbours there. */
    LoopTimers.Line line;
    LoopTimer prev;
    LoopTimer next;
    /** When it expires (the loop's clock, {@link #now()}, in nanoseconds). */
    long deadline;

    public LoopTimer(EventLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** For tests: a timer kept in {@code timers}, whatever its loop. */
    LoopTimer(LoopTimers timers, Runnable onExpiry) {
        this(timers.loop(), onExpiry);
        this.timers = timers;
    }

    /** The deadline is {@code millis} from now (replacing any earlier one). */
    public void arm(long millis) {
        arm(millis, now());
    }

    /** The deadline is {@code millis} from {@code now}, a reading of {@link #now()} the caller just made. */
    public void arm(long millis, long now) {
        long at = now + TimeUnit.MILLISECONDS.toNanos(millis);
        LoopTimers.Line to = line;
        if (to != null && to.millis == millis && next == null && at - deadline >= 0) {
            deadline = at; // moved later and still last in its line (a kept-alive connection's next request)
            return;
        }
        if (to == null || to.millis != millis) {
            if (timers == null) {
                timers = LoopTimers.of(loop);
            }
            to = timers.line(millis);
        }
        if (line != null) {
            line.remove(this);
        }
        deadline = at;
        to.add(this);
    }

    /** Whether a deadline is set. */
    public boolean armed() {
        return line != null;
    }

    /** No deadline any more. */
    public void disarm() {
        if (line != null) {
            line.remove(this);
        }
    }

    /**
     * The event loop's clock: the current event's reading ({@link EventClock}) on a loop that runs on the system's
     * clock, or the loop's own ticker (a test's EmbeddedChannel advances it by hand).
     */
    public long now() {
        return LoopTimers.now(loop);
    }

    /** Its line found it due and took it out. */
    void expired() {
        onExpiry.run();
    }
}
