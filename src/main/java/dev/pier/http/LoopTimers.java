package dev.pier.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The armed {@link LoopTimer}s of one event loop, kept as nginx keeps its event timers: in the loop's own ordered
 * structure, with one entry in the loop's scheduler for the earliest of them, not one scheduled task per connection.
 * Pier's timeouts are configured durations ({@code client_header_timeout}, {@code keepalive_timeout}, the proxy's
 * read and send timeouts...), and a deadline is armed as "now plus one of them", so the timers armed with one duration
 * expire in the order they were armed: each duration has its own {@link Line}, a doubly linked list in deadline
 * order, where arming is an append and disarming an unlink. Each line has at most one task in the loop's scheduler,
 * for its first deadline; when it fires it expires every timer that is due and schedules itself for the next one.
 * A connection's start and end therefore touch the loop's scheduler (a priority queue) only when its line was empty
 * or becomes empty.
 *
 * <p>A loop that runs on the system clock shares one instance per thread (a Netty event loop keeps its thread for
 * life); any other (a test's {@code EmbeddedChannel}, whose clock is advanced by hand) gets an instance per timer,
 * which behaves as a task per timer. Confined to its event loop.
 */
final class LoopTimers {
    private static final Ticker SYSTEM = Ticker.systemTicker();
    private static final FastThreadLocal<LoopTimers> OF_THREAD = new FastThreadLocal<>();

    private final EventLoop loop;
    private Line[] lines = new Line[0];

    private LoopTimers(EventLoop loop) {
        this.loop = loop;
    }

    /** The timers of {@code loop}; called on its thread. */
    static LoopTimers of(EventLoop loop) {
        if (loop.ticker() != SYSTEM || !loop.inEventLoop()) {
            return new LoopTimers(loop);
        }
        LoopTimers own = OF_THREAD.get();
        if (own == null) {
            own = new LoopTimers(loop);
            OF_THREAD.set(own);
        }
        return own.loop == loop ? own : new LoopTimers(loop);
    }

    /** For tests: timers of {@code loop} not shared with any other instance's. */
    static LoopTimers own(EventLoop loop) {
        return new LoopTimers(loop);
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * The event loop's clock: the current event's reading ({@link EventClock}) on a loop that runs on the system's
     * clock, or the loop's own ticker (a test's EmbeddedChannel advances it by hand).
     */
    static long now(EventLoop loop) {
        Ticker ticker = loop.ticker();
        return ticker == SYSTEM ? EventClock.nanoTime() : ticker.nanoTime();
    }

    /** The line of timers armed for {@code millis}. */
    Line line(long millis) {
        for (Line l : lines) {
            if (l.millis == millis) {
                return l;
            }
        }
        Line l = new Line(this, millis);
        lines = Arrays.copyOf(lines, lines.length + 1);
        lines[lines.length - 1] = l;
        return l;
    }

    /** For tests: how many tasks the lines have in the loop's scheduler. */
    int scheduled() {
        int n = 0;
        for (Line l : lines) {
            n += l.task == null ? 0 : 1;
        }
        return n;
    }

    /** The timers armed for one duration, in deadline order, and the one scheduled task that expires them. */
    static final class Line {
        private final LoopTimers timers;
        final long millis;
        private LoopTimer first;
        private LoopTimer last;
        private ScheduledFuture<?> task;
        /** When {@link #task} fires (the timers' clock, in nanoseconds). */
        private long taskAt;
        private final Runnable fire = this::fire;

        private Line(LoopTimers timers, long millis) {
            this.timers = timers;
            this.millis = millis;
        }

        /**
         * {@code t}, not in any line, takes its place by its deadline: searched from the end, where a deadline armed
         * now belongs (it is before the end only when an earlier reading of the clock armed it).
         */
        void add(LoopTimer t) {
            LoopTimer before = last;
            while (before != null && before.deadline - t.deadline > 0) {
                before = before.prev;
            }
            LoopTimer after = before == null ? first : before.next;
            t.prev = before;
            t.next = after;
            if (before == null) {
                first = t;
            } else {
                before.next = t;
            }
            if (after == null) {
                last = t;
            } else {
                after.prev = t;
            }
            t.line = this;
            if (before == null && (task == null || taskAt - t.deadline > 0)) {
                if (task != null) {
                    task.cancel(false);
                }
                schedule(t.deadline);
            }
        }

        /** {@code t} leaves the line; the line's task leaves the scheduler with its last timer. */
        void remove(LoopTimer t) {
            LoopTimer before = t.prev;
            LoopTimer after = t.next;
            if (before == null) {
                first = after;
            } else {
                before.next = after;
            }
            if (after == null) {
                last = before;
            } else {
                after.prev = before;
            }
            t.prev = null;
            t.next = null;
            t.line = null;
            if (first == null && task != null) {
                task.cancel(false);
                task = null;
            }
        }

        private void schedule(long at) {
            taskAt = at;
            task = timers.loop.schedule(fire, Math.max(0, at - now(timers.loop)), TimeUnit.NANOSECONDS);
        }

        /**
         * Every timer due expires, first to last; the task then waits for the next deadline, if any. An expiry that
         * throws leaves the line scheduled for the timers after it (they expire on the loop's next turn).
         */
        private void fire() {
            task = null;
            try {
                long now = now(timers.loop);
                for (LoopTimer t = first; t != null && t.deadline - now <= 0; t = first) {
                    remove(t);
                    t.expired();
                }
            } finally {
                if (first != null && task == null) {
                    schedule(first.deadline);
                }
            }
        }
    }
}
