package dev.pier.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;

import java.util.Date;

/**
 * The {@code Date} header value, formatted at most once per second (nginx's cached {@code ngx_cached_http_time}).
 * Lock-free: a racing thread may format the same second twice, which is harmless.
 */
public final class DateCache {
    private record Entry(long second, AsciiString value) {
    }

    private static volatile Entry current = new Entry(-1, AsciiString.EMPTY_STRING);

    private DateCache() {
    }

    public static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Entry e = current;
        if (e.second != second) {
            e = new Entry(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
            current = e;
        }
        return e.value;
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
