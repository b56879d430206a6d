package dev.pier.http;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The monotonic clock as nginx reads it: once per event loop turn, not once per question ({@code ngx_current_msec},
 * which {@code ngx_time_update} refreshes when the event loop wakes). While a connection's read is being handled on a
 * thread ({@link #begin()} to {@link Event#close()}: the client's request decoder and the backend's response decoder),
 * every {@link #nanoTime()} on that thread answers the reading taken when the read began; outside one, it reads the
 * clock afresh. A proxied request otherwise reads the clock a dozen times within one event (its start, the
 * upstream's start, connect and header times, the timers it arms, the keep-alive pool's idle clock); each reading
 * is a vDSO call of 30–40 ns on this kind of machine.
 *
 * <p>On an event loop whose I/O handler {@link IterationClock} wraps (every worker's), the reads of one turn of the
 * loop share one reading too: the first read after the loop woke takes it, the others reuse it, as nginx's events
 * share the time it took after {@code epoll_wait} returned. Elsewhere (tests, other threads) each read takes its own.
 *
 * <p>What it changes is only resolution, and only below the length of one turn's work: {@code $request_time} and
 * the {@code $upstream_*_time} variables, which have millisecond resolution anyway, count from and to the start of
 * the loop turns that began and ended them, as nginx's do. Code that paces or measures within one event (rate limits,
 * lingering close, the access log's flush timer) keeps reading the clock itself.
 *
 * <p>Confined per thread: each event loop thread has its own reading.
 */
public final class EventClock {
    private static final FastThreadLocal<Event> EVENT = new FastThreadLocal<>() {
        @Override
        protected Event initialValue() {
            return new Event();
        }
    };

    private EventClock() {
    }

    /** {@link System#nanoTime()}'s clock: the current event's reading on this thread, or a fresh one outside events. */
    public static long nanoTime() {
        Event e = EVENT.get();
        return e.depth > 0 ? e.nanos : System.nanoTime();
    }

    /** {@link #nanoTime()} in milliseconds. */
    public static long millis() {
        return nanoTime() / 1_000_000;
    }

    /**
     * An event begins on this thread: the clock is read now, unless an event is already under way (a nested one keeps
     * the outer reading). Close it when the event is over: {@code try (var _ = EventClock.begin()) {...}}.
     */
    public static Event begin() {
        Event e = EVENT.get();
        if (e.depth++ == 0 && !e.turnRead) {
            e.nanos = System.nanoTime();
            e.turnRead = e.inTurn;
        }
        return e;
    }

    /**
     * A turn of this thread's event loop begins ({@link IterationClock}): its first event takes a new reading, and
     * the events after it in the same turn keep that one.
     */
    static void turnBegins() {
        Event e = EVENT.get();
        e.inTurn = true;
        e.turnRead = false;
    }

    /** The reading of one thread's current event and how deeply events are nested on it. */
    public static final class Event implements AutoCloseable {
        private long nanos;
        private int depth;
        /** This thread runs an {@link IterationClock} loop (set at its first turn). */
        private boolean inTurn;
        /** {@link #nanos} is the current turn's reading. */
        private boolean turnRead;

        private Event() {
        }

        /** The event that {@link #begin()} returned this for is over. */
        @Override
        public void close() {
            depth--;
        }
    }
}
