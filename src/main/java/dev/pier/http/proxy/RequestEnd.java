package dev.pier.http.proxy;

import dev.pier.http.HttpError;
import dev.pier.http.proxy.ProxyRequest.Phase;
import dev.pier.http.proxy.upstream.KeepalivePool;
import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.handler.codec.http.HttpVersion;

/**
 * How a {@link ProxyRequest} ends ({@code ngx_http_upstream_finalize_request}): the peer released, a clean backend
 * connection back to the keep-alive pool (any doubt closes it), the body and temp files let go of, the close
 * listener removed; and a client that went away ({@code ngx_http_upstream_check_broken_connection}), which closes
 * the backend too unless {@code proxy_ignore_client_abort} keeps it.
 */
final class RequestEnd {
    private RequestEnd() {
    }

    /** The request is over: the peer is released; a clean connection goes back to the pool. */
    static void finish(ProxyRequest r, boolean failed) {
        if (r.phase == Phase.DONE) {
            return;
        }
        over(r);
        releaseUpstream(r, failed);
    }

    /** A failure mid-response: the backend connection is closed and the client's too. */
    static void abort(ProxyRequest r) {
        finish(r, true);
        r.ex.abort();
    }

    /** Over before any response was relayed: answered with {@code error}. */
    static void answer(ProxyRequest r, HttpError error) {
        over(r);
        r.ex.sendError(error);
    }

    /** Marks the request done and lets go of what the client side holds (the backend's part is the caller's). */
    static void over(ProxyRequest r) {
        r.phase = Phase.DONE;
        r.ex.notWhenClientCloses(r.onClientClose);
        releaseBody(r);
    }

    private static void releaseBody(ProxyRequest r) {
        r.body.release();
        r.out.close();
    }

    /** The backend's part is over: the peer is released; a clean connection goes back to the pool. */
    static void releaseUpstream(ProxyRequest r, boolean failed) {
        r.cancelTimer();
        r.vars.ended(502);
        if (r.peer != null) {
            r.group.upstream().release(r.peer, failed);
            r.peer = null;
        }
        if (r.conn == null) {
            return;
        }
        KeepalivePool pool = r.group.pool(r.client.eventLoop());
        boolean clean = !failed && pool != null && r.bodySent && !r.earlyResponse && r.upstreamResponse != null
                && !r.vars.closeDelimited
                && r.loc.requestHead.version() == HttpVersion.HTTP_1_1
                && ParsedResponse.keepAlive(r.upstreamResponse)
                && !"close".equalsIgnoreCase(r.loc.requestHead.connectionValue(r.ex));
        UpstreamConnection c = r.conn;
        r.conn = null;
        if (clean) {
            pool.release(c);
        } else {
            c.close();
        }
    }

    static void closeUpstream(ProxyRequest r) {
        if (r.conn != null) {
            r.conn.close();
            r.conn = null;
        }
        if (r.phase == Phase.DONE) {
            releaseBody(r);
        }
    }

    /** The client connection closed while the request was in flight. */
    static void clientClosed(ProxyRequest r) {
        if (r.phase == Phase.DONE) {
            return;
        }
        r.clientGone = true;
        if (r.phase == Phase.DRAINING) {
            // the backend is done already: only the temp file is left to let go of
            r.ex.log().info("client prematurely closed connection while sending to client" + r.context());
            finish(r, false);
            return;
        }
        if (r.loc.conf.ignoreClientAbort() && r.phase != Phase.CONNECTING) {
            if (r.phase == Phase.RELAYING) {
                BodyRelay.readBackend(r);
            }
            return;
        }
        r.ex.log().info("client prematurely closed connection, so upstream connection is closed too while "
                + (r.phase == Phase.RELAYING ? "reading upstream" : r.phase == Phase.CONNECTING
                ? "connecting to upstream" : "sending request to upstream") + r.context());
        finish(r, false);
        closeUpstream(r);
    }
}
