package dev.pier.http.proxy;

import dev.pier.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

import java.io.IOException;

/**
 * How one proxied response waits for its client (nginx's event pipe, {@code ngx_event_pipe.c}): with buffering, up
 * to {@code proxy_buffers} bytes wait in memory (Netty's outbound buffer of the client connection, counted here
 * until written) and, once those are used up, the rest goes to a {@link ResponseSpool} in {@code proxy_temp_path};
 * without buffering one piece at a time. The backend may be read ahead while {@link #canReadAhead} says so; the
 * owner hears of client progress through the callback so it can read the backend again or end the response. A
 * backend's {@code X-Accel-Limit-Rate: BYTES} (bytes per second), else {@code $limit_rate} / {@code limit_rate}
 * (nginx's {@code r->limit_rate}, after {@code limit_rate_after} bytes) paces what is written to the client; what
 * the backend sends meanwhile waits as it would for a slow client.
 */
final class ResponseBuffer {
    private static final AsciiString X_ACCEL_BUFFERING = AsciiString.cached("X-Accel-Buffering");
    private static final AsciiString X_ACCEL_LIMIT_RATE = AsciiString.cached("X-Accel-Limit-Rate");
    /** Most a client write takes from the temp file at once. */
    static final int SPOOL_PIECE = 64 * 1024;

    private final Exchange ex;
    private final Channel client;
    private final Runnable progressed;
    /** This response's read-ahead in memory: proxy_buffers, or 0 unbuffered. */
    private long bufferBytes;
    /** Where a buffered response may spool (null: it may not); the spool itself is made when first needed. */
    private ProxyLocation spoolTo;
    private ResponseSpool spool;
    private long inFlight;
    private boolean pumping;
    private boolean again;
    /**
     * nginx's {@code r->limit_rate} for this response in bytes per second, 0 = none: the backend's
     * X-Accel-Limit-Rate, else {@code set $limit_rate} or the location's {@code limit_rate}; {@code limit_rate_after}
     * bytes go at full speed first; bytes written since {@link #rateStart}.
     */
    private long rate;
    private long rateAfter;
    private long rateStart;
    private long rateBytes;
    private io.netty.util.concurrent.ScheduledFuture<?> rateTimer;

    /** @param progressed run after the client took a piece (on the event loop) */
    ResponseBuffer(Exchange ex, Runnable progressed) {
        this.ex = ex;
        this.client = ex.channel();
        this.progressed = progressed;
    }

    /**
     * {@code proxy_buffering}, or the backend's {@code X-Accel-Buffering: yes|no} for this response (unless
     * {@code proxy_ignore_headers} names it); a buffered response may spool when {@code proxy_max_temp_file_size}
     * is not 0.
     */
    void configure(ProxyLocation loc, HttpResponse res) {
        boolean buffering = loc.conf.buffering();
        String xab = ParsedResponse.accel(res, X_ACCEL_BUFFERING);
        if (xab != null && !loc.conf.ignoreHeaders().contains("x-accel-buffering")) {
            if (xab.equalsIgnoreCase("yes")) {
                buffering = true;
            } else if (xab.equalsIgnoreCase("no")) {
                buffering = false;
            }
        }
        bufferBytes = buffering ? Math.max(loc.conf.bufferBytes(), 1) : 0;
        String limit = ParsedResponse.accel(res, X_ACCEL_LIMIT_RATE);
        rate = limit != null && !loc.conf.ignoreHeaders().contains("x-accel-limit-rate") ? parseRate(limit.strip())
                : ex.limitRate();
        if (rate > 0) {
            rateAfter = ex.location().fileIo().limitRateAfter();
            rateStart = System.nanoTime();
        }
        spoolTo = buffering && loc.maxTempFileSize > 0 ? loc : null;
    }

    /** Whether the backend may be read now (the client is still there). */
    boolean canReadAhead() {
        if (spoolTo != null) {
            if (spool == null || spool.hasRoom()) {
                return true; // memory full: the rest goes to the temp file
            }
            if (spool.pending()) {
                return false; // proxy_max_temp_file_size reached: hold the backend until the file drains
            }
        }
        return !memoryFull();
    }

    /**
     * The in-memory read-ahead is used up (the client has not taken what was already written to it), or the rate
     * limit says wait.
     */
    private boolean memoryFull() {
        return !client.isWritable() || (bufferBytes == 0 ? inFlight > 0 : inFlight >= bufferBytes) || overRate();
    }

    /** nginx's {@code ngx_atoi}: digits only, else the header is ignored (0). */
    static long parseRate(String v) {
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(v);
    }

    /** Ahead of the rate: true, and the owner is called back once the rate allows the next write. */
    private boolean overRate() {
        if (rate <= 0) {
            return false;
        }
        // nginx's write filter: by t seconds in, rate * (t + 1) bytes past limit_rate_after may have gone
        double allowed = rate * ((System.nanoTime() - rateStart) / 1e9 + 1) + rateAfter;
        if (rateBytes <= allowed) {
            return false;
        }
        if (rateTimer == null) {
            long waitNanos = (long) ((rateBytes - allowed) * 1e9 / rate) + 1_000_000;
            rateTimer = client.eventLoop().schedule(() -> {
                rateTimer = null;
                progressed.run();
            }, waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** Whether the next piece must go to the temp file: something is there already (order), or memory is full. */
    boolean spools() {
        return spoolTo != null && (pending() || memoryFull() && (spool == null || spool.hasRoom()));
    }

    /** Whether spooled bytes wait to be sent. */
    boolean pending() {
        return spool != null && spool.pending();
    }

    /** Appends to the temp file (the caller keeps {@code b}'s reference). */
    void spool(ByteBuf b) throws IOException {
        if (spool == null) {
            spool = new ResponseSpool(spoolTo.bodyTemp.proxyTempPath(), spoolTo.bodyTemp.proxyTempLevels(),
                    spoolTo.maxTempFileSize, spoolTo.tempFileWriteSize);
        }
        spool.add(b);
    }

    /** One piece of the body to the client (its reference passes on), counted until written. */
    void send(ByteBuf b) {
        int size = b.readableBytes();
        inFlight += size;
        rateBytes += size;
        ex.sendContent(new DefaultHttpContent(b), false).addListener(f -> {
            inFlight -= size;
            if (f.isSuccess()) {
                progressed.run();
            }
        });
    }

    /**
     * Sends spooled bytes while the client keeps up, and flushes them. A write that completes during the flush
     * (a fast client) asks for more from inside this call: that is remembered and done here, not dropped.
     */
    void pump() throws IOException {
        if (spool == null) {
            return;
        }
        if (pumping) {
            again = true;
            return;
        }
        pumping = true;
        try {
            do {
                again = false;
                boolean sent = false;
                while (spool.pending() && !memoryFull() && client.isActive()) {
                    send(spool.read(client.alloc(), SPOOL_PIECE));
                    sent = true;
                }
                if (sent) {
                    client.flush();
                }
            } while (again && spool.pending());
        } finally {
            pumping = false;
        }
    }

    /** Closes (so deletes) the temp file. */
    void close() {
        if (rateTimer != null) {
            rateTimer.cancel(false);
            rateTimer = null;
        }
        if (spool != null) {
            spool.close();
        }
    }
}
