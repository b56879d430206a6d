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

    /** An HTTP date for {@code Last-Modified}. */
    public static AsciiString format(long epochMillis) {
        return new AsciiString(DateFormatter.format(new Date(epochMillis / 1000 * 1000)));
    }
}
