package dev.pier.http;

import dev.pier.log.SecondText;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code $time_local} ({@code 28/Sep/1970:12:00:00 +0600}), {@code $time_iso8601} and {@code $msec}, formatted at
 * most once per second per format like nginx's cached times. Lock-free: two threads may format one second twice.
 */
final class LogTime {
    private static final SecondText LOCAL = new SecondText(
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault()));
    private static final SecondText ISO = new SecondText(
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT).withZone(ZoneId.systemDefault()));

    private LogTime() {
    }

    static String local(long millis) {
        return LOCAL.of(millis);
    }

    static String iso8601(long millis) {
        return ISO.of(millis);
    }

    /** Seconds with millisecond resolution: {@code 1700000000.123}. */
    static String msec(long millis) {
        return seconds(millis);
    }

    /** A non-negative millisecond count as {@code S.mmm} ({@code $request_time}, {@code $msec}). */
    static String seconds(long millis) {
        long ms = millis % 1000;
        return millis / 1000 + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms;
    }
}
