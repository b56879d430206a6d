package dev.pier.http.proxy;

import dev.pier.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;

import java.io.IOException;

/**
 * How one proxied response waits for its client (nginx's event pipe, {@code ngx_event_pipe.c}): with buffering, up
 * to {@code proxy_buffers} bytes wait in memory (Netty's outbound buffer of the client connection, counted here
 * until written) and, once those are used up, the rest goes to a {@link ResponseSpool} in {@code proxy_temp_path};
 * without buffering one piece at a time. The backend may be read ahead while {@link #canReadAhead} says so; the
 * owner hears of client progress through the callback so it can read the backend again or end the response.
 */
final class ResponseBuffer {
    /** Most a client write takes from the temp file at once. */
    static final int SPOOL_PIECE = 64 * 1024;

    private final Exchange ex;
    private final Channel client;
    private final Runnable progressed;
    /** This response's read-ahead in memory: proxy_buffers, or 0 unbuffered. */
    private long bufferBytes;
    private ResponseSpool spool;
    private long inFlight;
    private boolean pumping;

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
        String xab = res.headers().get("X-Accel-Buffering");
        if (xab != null && !loc.conf.ignoreHeaders().contains("x-accel-buffering")) {
            if (xab.equalsIgnoreCase("yes")) {
                buffering = true;
            } else if (xab.equalsIgnoreCase("no")) {
                buffering = false;
            }
        }
        bufferBytes = buffering ? Math.max(loc.conf.bufferBytes(), 1) : 0;
        if (buffering && loc.maxTempFileSize > 0) {
            spool = new ResponseSpool(loc.bodyTemp.proxyTempPath(), loc.bodyTemp.proxyTempLevels(),
                    loc.maxTempFileSize, loc.tempFileWriteSize);
        }
    }

    /** Whether the backend may be read now (the client is still there). */
    boolean canReadAhead() {
        if (spool != null) {
            if (spool.hasRoom()) {
                return true; // memory full: the rest goes to the temp file
            }
            if (spool.pending()) {
                return false; // proxy_max_temp_file_size reached: hold the backend until the file drains
            }
        }
        return !memoryFull();
    }

    /** The in-memory read-ahead is used up: the client has not taken what was already written to it. */
    private boolean memoryFull() {
        return !client.isWritable() || (bufferBytes == 0 ? inFlight > 0 : inFlight >= bufferBytes);
    }

    /** Whether the next piece must go to the temp file: something is there already (order), or memory is full. */
    boolean spools() {
        return spool != null && (spool.pending() || memoryFull() && spool.hasRoom());
    }

    /** Whether spooled bytes wait to be sent. */
    boolean pending() {
        return spool != null && spool.pending();
    }

    /** Appends to the temp file (the caller keeps {@code b}'s reference). */
    void spool(ByteBuf b) throws IOException {
        spool.add(b);
    }

    /** One piece of the body to the client (its reference passes on), counted until written. */
    void send(ByteBuf b) {
        int size = b.readableBytes();
        inFlight += size;
        ex.sendContent(new DefaultHttpContent(b), false).addListener(f -> {
            inFlight -= size;
            if (f.isSuccess()) {
                progressed.run();
            }
        });
    }

    /** Sends spooled bytes while the client keeps up, and flushes them. */
    void pump() throws IOException {
        if (pumping || spool == null) {
            return;
        }
        pumping = true;
        try {
            boolean sent = false;
            while (spool.pending() && !memoryFull() && client.isActive()) {
                send(spool.read(client.alloc(), SPOOL_PIECE));
                sent = true;
            }
            if (sent) {
                client.flush();
            }
        } finally {
            pumping = false;
        }
    }

    /** Closes (so deletes) the temp file. */
    void close() {
        if (spool != null) {
            spool.close();
        }
    }
}
