package dev.pier.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;

import java.time.Instant;
import java.util.Date;

/**
 * The {@code Date} header value, formatted at most once per second (nginx's cached {@code ngx_cached_http_time}).
 * The wall clock is read only when the second is over: the entry knows, on the monotonic clock, when its second
 * ends, and that clock is the current event's reading ({@link EventClock}), which a request has already taken. A
 * change of the wall clock (a step by NTP or by hand) shows in the header from the next second on.
 * Lock-free: a racing thread may format the same second twice, which is harmless.
 */
public final class DateCache {
    private record Entry(long second, AsciiString value) {
    }

    /** The current second's header value and the {@link System#nanoTime()} at which that second ends. */
    private record Current(long endsAt, AsciiString value) {
    }

    /**
     * Formatted from the start: an event's reading may be older than the class, and must not find an empty value
     * that looks current.
     */
    private static volatile Current current = read();

    private DateCache() {
    }

    public static AsciiString now() {
        Current c = current;
        if (EventClock.nanoTime() - c.endsAt < 0) {
            return c.value;
        }
        c = read();
        current = c;
        return c.value;
    }

    private static Current read() {
        long nanos = System.nanoTime();
        Instant wall = Instant.now(); // microseconds: the second's end is known to within one
        return new Current(nanos + 1_000_000_000L - wall.getNano(),
                new AsciiString(DateFormatter.format(new Date(wall.getEpochSecond() * 1000))));
    }

    /**
     * Recently formatted {@code Last-Modified} dates, by second: a file's time stays the same across the requests for
     * it, and formatting through {@code java.util.Date} and a calendar costs more than the rest of a small file's
     * header. Direct-mapped, racy and harmless as {@link #now()}: entries are immutable, a lost write only means
     * formatting again.
     */
    private static final Entry[] RECENT = new Entry[256];

    /** An HTTP date for {@code Last-Modified}. */
    public static AsciiString format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int slot = (int) (second ^ second >>> 8) & (RECENT.length - 1);
        Entry e = RECENT[slot];
        if (e == null || e.second != second) {
            e = new Entry(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
            RECENT[slot] = e;
        }
        return e.value;
    }
}
