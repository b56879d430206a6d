package dev.pier.http.limits;

/**
 * nginx's leaky bucket ({@code ngx_http_limit_req_lookup}, {@code ngx_http_limit_req_account}) in its own units:
 * {@code excess} is in thousandths of a request and {@code rate} in requests per 1000 seconds ({@code 1r/s} =
 * 1000). Each request adds 1000; the bucket leaks {@code rate * ms / 1000} per {@code ms}. Pure arithmetic.
 */
final class LeakyBucket {
    private LeakyBucket() {
    }

    /**
     * The excess after one more request at {@code now}, for a key last seen at {@code last} with {@code excess}.
     * A clock that went back up to a minute counts as no time passed, further as one millisecond (nginx's guard).
     */
    static long next(long excess, long last, long now, long rate) {
        long ms = elapsed(last, now);
        long e = excess - rate * ms / 1000 + 1000;
        return Math.max(0, e);
    }

    /** Milliseconds from {@code last} to {@code now}, with nginx's guard against a clock going back. */
    static long elapsed(long last, long now) {
        long ms = now - last;
        if (ms < -60_000) {
            return 1;
        }
        return Math.max(0, ms);
    }

    /** How long to delay a request that left {@code excess} (0 when within {@code delay}, both ×1000). */
    static long delayMillis(long excess, long delay, long rate) {
        return excess <= delay ? 0 : (excess - delay) * 1000 / rate;
    }

    /**
     * Whether a state can be dropped: nginx's {@code ngx_http_limit_req_expire} frees a node not seen for a minute
     * whose excess has leaked away.
     */
    static boolean expired(long excess, long last, long now, long rate) {
        long ms = Math.abs(now - last);
        return ms >= 60_000 && excess - rate * ms / 1000 <= 0;
    }

    /** nginx's {@code %ui.%03ui} rendering of an excess ({@code 1500} is {@code 1.500}). */
    static String format(long excess) {
        long frac = excess % 1000;
        return excess / 1000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
