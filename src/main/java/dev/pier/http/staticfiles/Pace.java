package dev.pier.http.staticfiles;

/**
 * {@code limit_rate} of one response, nginx's formula ({@code ngx_http_write_filter}): by time t seconds after the
 * response started, {@code rate * (t + 1) + after} bytes may have been sent, so the first second's worth (and
 * {@code limit_rate_after}) go at once and the rest follows at {@code rate} bytes per second.
 */
final class Pace {
    private final long rate;
    private final long after;
    private final long startNanos;
    private long sent;

    Pace(long rate, long after, long startNanos) {
        this.rate = rate;
        this.after = after;
        this.startNanos = startNanos;
    }

    /** How many bytes may be sent now (0: wait {@link #delayNanos}). */
    long allowance(long now) {
        double seconds = (now - startNanos) / 1e9 + 1;
        return Math.max(0, (long) (rate * seconds) + after - sent);
    }

    /** How long until {@code bytes} more may be sent. */
    long delayNanos(long now, long bytes) {
        double neededSeconds = (double) (sent + bytes - after) / rate - 1;
        long at = startNanos + (long) (neededSeconds * 1e9);
        return Math.max(1_000_000, at - now);
    }

    void sent(long bytes) {
        sent += bytes;
    }
}
