package dev.pier.http.proxy;

import dev.pier.http.proxy.ProxyRequest.Phase;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A {@link ProxyRequest}'s response body on its way to the client ({@code ngx_http_upstream_process_upstream},
 * nginx's event pipe): the backend is read again only while the {@link ResponseBuffer} has room (back-pressure),
 * under {@code proxy_read_timeout}; one client flush per backend read batch; past the memory, pieces go to the temp
 * file, and at the response's end the backend is released at once and the file drained ({@link Phase#DRAINING})
 * before the response ends. With the client gone ({@code proxy_ignore_client_abort}) the backend is read and dropped.
 */
final class BodyRelay {
    private BodyRelay() {
    }

    static void readBackend(ProxyRequest r) {
        if (!r.backendReading && r.phase != Phase.DONE) {
            r.backendReading = true;
            r.armTimer(r.loc.conf.readTimeout().toMillis(), r.phase == Phase.RELAYING ? "reading upstream"
                    : "reading response header from upstream");
            r.conn.channel().read();
        }
    }

    /** The backend's read batch ended. */
    static void readComplete(ProxyRequest r) {
        r.backendReading = false;
        if (r.phase == Phase.SENDING) {
            RequestSender.watchEarlyResponse(r);
            return;
        }
        r.cancelTimer();
        if (r.phase == Phase.RELAYING && !r.clientGone) {
            r.client.flush(); // one flush per backend read batch
        }
        if (r.phase == Phase.READING_HEADER || (r.phase == Phase.RELAYING && canReadAhead(r))) {
            readBackend(r);
        }
    }

    private static boolean canReadAhead(ProxyRequest r) {
        return r.clientGone || r.out.canReadAhead(); // a gone client (proxy_ignore_client_abort): read and drop
    }

    /** The client took some of the response: feed it from the temp file, then read the backend again. */
    static void clientProgress(ProxyRequest r) {
        if (r.phase == Phase.RELAYING || r.phase == Phase.DRAINING) {
            pump(r);
        }
        if (r.phase == Phase.RELAYING && canReadAhead(r)) {
            readBackend(r);
        }
    }

    /** Sends spooled bytes while the client keeps up; ends the response once the backend is done and all sent. */
    private static void pump(ProxyRequest r) {
        if (r.clientGone) {
            return;
        }
        try {
            r.out.pump();
        } catch (java.io.IOException e) {
            r.ex.log().crit("read() from a temp file in \"" + r.loc.bodyTemp.proxyTempPath() + "\" failed ("
                    + Errno.describe(e) + ")" + r.context());
            RequestEnd.abort(r);
            return;
        }
        if (r.phase == Phase.DRAINING && !r.out.pending()) {
            LastHttpContent last = r.lastAfterSpool;
            r.lastAfterSpool = null;
            RequestEnd.over(r);
            r.ex.finishResponse(last);
            r.client.flush();
        }
    }

    /** One piece of the response body (its reference passes here). */
    static void content(ProxyRequest r, HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            piece.release();
            r.ex.log().error("upstream prematurely closed connection while reading upstream" + r.context());
            RequestEnd.abort(r);
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        if (!r.clientGone && r.out.spools()) {
            spool(r, piece, last);
            return;
        }
        if (r.clientGone) {
            piece.release();
        } else if (last) {
            // over before the last write: with "Connection: close" that write closes the client connection, and
            // the close listener must not take a finished request for an aborted one
            RequestEnd.finish(r, false);
            r.ex.finishResponse((LastHttpContent) piece);
            // flush now: once the connection is back in the pool its read-complete events no longer reach us,
            // and the client waits for this response before it sends anything that would flush it
            r.client.flush();
            if (!r.client.isActive()) {
                r.clientGone = true;
            }
        } else {
            r.out.send(piece.content());
        }
        if (last) {
            RequestEnd.finish(r, false);
        } else if (canReadAhead(r)) {
            readBackend(r);
        }
    }

    /**
     * A piece into the temp file (order is kept: once something is spooled everything after it is too). At the
     * response's end the backend connection is released at once (so a slow client no longer holds the backend)
     * and the rest is sent from the file ({@link Phase#DRAINING}).
     */
    private static void spool(ProxyRequest r, HttpContent piece, boolean last) {
        try {
            r.out.spool(piece.content());
        } catch (java.io.IOException e) {
            piece.release();
            r.ex.log().crit("write() to a temp file in \"" + r.loc.bodyTemp.proxyTempPath() + "\" failed ("
                    + Errno.describe(e) + ")" + r.context());
            RequestEnd.abort(r);
            return;
        }
        if (last) {
            LastHttpContent l = (LastHttpContent) piece;
            r.lastAfterSpool = l.trailingHeaders().isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, l.trailingHeaders().copy());
            piece.release();
            RequestEnd.releaseUpstream(r, false);
            r.phase = Phase.DRAINING;
            // pieces of this read batch written before it are not flushed yet (the backend's read-complete
            // would have), and the file is sent only once they are taken
            r.client.flush();
            pump(r);
            return;
        }
        piece.release();
        if (canReadAhead(r)) {
            readBackend(r);
        }
    }
}
