package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A proxied request's body on its way to the backend: either read whole first into a {@link RequestSpool}
 * ({@code proxy_request_buffering on}), or streamed piece by piece as the client sends it. Streamed pieces up to
 * {@link #REPLAY_LIMIT} bytes in all are kept so {@code proxy_next_upstream} can send the body again; a larger
 * streamed body cannot be retried (nginx cannot either once it has sent a part of it unbuffered).
 */
final class RequestBody {
    /** Streamed bodies up to this size are kept so a retry can resend them; larger ones are not retried. */
    static final long REPLAY_LIMIT = 64 * 1024;

    private final RequestSpool spool;
    /** Streamed pieces not sent yet; made with the first one (most proxied requests have no body). */
    private ArrayDeque<HttpContent> pending;
    /** Copies of the streamed pieces for a retry; a list of its own from the first piece (most requests have none). */
    private List<ByteBuf> replay = List.of();
    private long replayBytes;
    private boolean replayable = true;

    /** @param spool where a body read whole goes, or null for a streamed one */
    RequestBody(RequestSpool spool) {
        this.spool = spool;
    }

    /** Whether the body is read whole before it is sent. */
    boolean spooled() {
        return spool != null;
    }

    /** The whole body's size (spooled only). */
    long size() {
        return spool.size();
    }

    /** Adds a piece of a body read whole; takes {@code b}'s reference. */
    void spool(ByteBuf b) throws IOException {
        spool.add(b);
    }

    /** Queues a streamed piece (its reference passes here), keeping a copy for a retry while the body is small. */
    void offer(HttpContent piece) {
        if (replayable) {
            ByteBuf b = piece.content();
            replayBytes += b.readableBytes();
            if (replayBytes > REPLAY_LIMIT) {
                replayable = false;
                dropReplay();
            } else {
                if (replay.isEmpty()) {
                    replay = new ArrayList<>();
                }
                replay.add(b.retainedDuplicate());
            }
        }
        queue().add(piece);
    }

    private ArrayDeque<HttpContent> queue() {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        return pending;
    }

    /** The next piece to send, or null when none is ready (the last one is a {@link LastHttpContent}). */
    HttpContent next() throws IOException {
        return spool != null ? spool.next() : pending != null ? pending.poll() : null;
    }

    /** Whether all of the body sent so far can be sent again. */
    boolean replayable() {
        return spool != null || replayable;
    }

    /** Drops queued pieces (the backend will not take them). */
    void dropPending() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending.clear();
        }
    }

    /** Sends from the start again (a retry on the next peer); {@code complete}: the client's body has ended. */
    void rewind(boolean complete) {
        dropPending();
        if (spool != null) {
            spool.rewind(); // the whole body is kept: it can always go again
            return;
        }
        for (int i = 0; i < replay.size(); i++) {
            ByteBuf b = replay.get(i).retainedDuplicate();
            queue().add(i == replay.size() - 1 && complete ? new DefaultLastHttpContent(b)
                    : new DefaultHttpContent(b));
        }
        if (replay.isEmpty() && complete) {
            queue().add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** Frees everything held (and the temp file). */
    void release() {
        if (spool != null) {
            spool.release();
        }
        dropPending();
        dropReplay();
    }

    private void dropReplay() {
        if (!replay.isEmpty()) {
            replay.forEach(ReferenceCountUtil::release);
            replay = List.of();
        }
    }
}
