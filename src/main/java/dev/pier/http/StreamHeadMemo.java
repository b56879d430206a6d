package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * The bytes {@link StreamHead} last wrote for one head's given lines, kept for the next response made from the same
 * lines: a kept-alive backend sends the same head for a second at a time, and its parser hands each response the
 * same lines array ({@link HeadLines#memo}). Written again under the same conditions, the head is these bytes, so
 * the lines are neither looked up one by one nor written again.
 *
 * <p>The key is everything the bytes come from: the lines and the rewrite, compared by identity (lines are never
 * changed; a rewrite answers from its arguments alone), the status, Pier's {@code Server} and {@code Date} values,
 * the framing, the keep-alive choice and the {@code Keep-Alive} line. Pier's {@code Date} value is a new object each
 * second, so a head is written afresh at least once a second.
 *
 * <p>One event loop's: a head's lines, and the memo with them, are shared by the backend connections of one loop
 * (the proxy's {@code KnownHeads}), and the client connections they answer are on that loop too.
 */
public final class StreamHeadMemo {
    // the key besides what the own lines written hold (Content-Length from the lines, framing, keep-alive)
    private CharSequence[] given;
    private HeadRewrite rewrite;
    private HttpResponseStatus status;
    private CharSequence server;
    private CharSequence date;
    /** What was written: the own lines and the bytes. */
    private StreamHead.Lines own;
    private final KeptHead head = new KeptHead();
    private long hits;

    /** Whether the last head was written from {@code given} through {@code rewrite}: {@link #length} is then theirs. */
    boolean knows(CharSequence[] given, HeadRewrite rewrite) {
        return head.isKept() && this.given == given && this.rewrite == rewrite;
    }

    /** Whether the lines (through the rewrite) give a {@code Content-Length}; only after {@link #knows}. */
    boolean length() {
        return own.length() != null;
    }

    /**
     * The own lines the last head was written with when every other part of the key is the same too (the lines being
     * {@link #knows known}): the bytes ({@link #copy}) are then this head's. Else null.
     */
    StreamHead.Lines same(HttpResponseStatus status, CharSequence server, CharSequence date, boolean chunked,
                          boolean keepAlive, AsciiString keepAliveHeader) {
        if (this.status != status || this.server != server || this.date != date || own.chunked() != chunked
                || own.keepAlive() != keepAlive || own.keepAliveHeader() != keepAliveHeader) {
            return null;
        }
        hits++;
        return own;
    }

    /** The kept head in a new direct buffer of {@code alloc}. */
    ByteBuf copy(ByteBufAllocator alloc) {
        return head.copy(alloc, 0);
    }

    /**
     * Keeps the head {@code written} holds and what it was written from ({@code own} holds the rest), for the next
     * response; forgets the last one when this one is too long to keep ({@link KeptHead#MAX}).
     */
    void keep(CharSequence[] given, HeadRewrite rewrite, HttpResponseStatus status, CharSequence server,
              CharSequence date, StreamHead.Lines own, HeadScratch written) {
        if (!head.keep(written)) {
            return;
        }
        this.given = given;
        this.rewrite = rewrite;
        this.status = status;
        this.server = server;
        this.date = date;
        this.own = own;
    }

    /** How many heads were written from the memo (tests). */
    long hits() {
        return hits;
    }
}
