package dev.pier.log;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A time format made at most once per second, as nginx caches its log times ({@code ngx_cached_err_log_time},
 * {@code ngx_cached_http_log_time}): the error log's stamp and the access log's {@code $time_local} and
 * {@code $time_iso8601}. Lock-free: two threads may format one second twice, to the same text.
 */
public final class SecondText {
    private record Entry(long second, String text) {
    }

    private final DateTimeFormatter format;
    private volatile Entry last = new Entry(Long.MIN_VALUE, "");

    /** {@code format} must carry its zone ({@link DateTimeFormatter#withZone}). */
    public SecondText(DateTimeFormatter format) {
        this.format = format;
    }

    /** The second of {@code millis} (since the epoch) in this format. */
    public String of(long millis) {
        long second = Math.floorDiv(millis, 1000);
        Entry e = last;
        if (e.second() != second) {
            e = new Entry(second, format.format(Instant.ofEpochSecond(second)));
            last = e;
        }
        return e.text();
    }
}
