package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.EventClock;
import dev.pier.http.proxy.ProxyRequest.Phase;
import dev.pier.http.proxy.upstream.KeepalivePool;
import dev.pier.http.proxy.upstream.UpstreamConnection;

/**
 * Connecting a {@link ProxyRequest} to a peer and what a failed try leads to ({@code ngx_http_upstream_connect},
 * {@code ngx_http_upstream_next}): a kept-alive connection from the pool or a new one, the failures of connecting,
 * sending and reading the head classified as {@code proxy_next_upstream} conditions, and nginx's
 * {@code [error] ... while connecting to upstream} lines. A failure that may move on tries the next peer with the
 * body rewound; one that may not answers 502 (504 for a timeout). Failures once the response is being relayed
 * cannot be retried: the request is aborted.
 */
final class UpstreamTries {
    private UpstreamTries() {
    }

    static void connect(ProxyRequest r) {
        if (r.phase == Phase.DONE) {
            return;
        }
        r.phase = Phase.CONNECTING;
        r.peer = r.group.upstream().select(r.attempt);
        r.vars.started(r.peer == null ? r.group.conf().name() : r.peer.addressText());
        if (r.peer == null) {
            error(r, null, "no live upstreams", "connecting to upstream", true);
            return;
        }
        r.tries++;
        if (r.target.ssl() && r.tlsName == null) {
            r.tlsName = r.loc.tls.name(r.target.host());
            r.tlsKey = r.loc.tls.poolKey(r.tlsName);
        }
        KeepalivePool pool = r.group.pool(r.client.eventLoop());
        UpstreamConnection cached = pool == null ? null : pool.acquire(r.peer, r.tlsKey);
        if (cached != null) {
            r.conn = cached;
            r.conn.listener(r);
            r.vars.connected();
            RequestSender.sendHead(r);
            return;
        }
        r.conn = new UpstreamConnection(r.peer, EventClock.millis(), r.tlsKey);
        r.conn.listener(r);
        int tlsPort = r.peer.address() instanceof java.net.InetSocketAddress a ? a.getPort() : r.target.port();
        UpstreamConnection connecting = r.conn;
        BackendBootstrap.open(r.client, r.conn, r.peer.address(),
                (int) Math.min(Integer.MAX_VALUE, r.loc.conf.connectTimeout().toMillis()), r.loc.maxHeader,
                r.tlsKey == null ? null : () -> r.loc.tls.newHandler(r.client.alloc(), r.tlsName, tlsPort))
                .addListener(done -> {
                    if (connecting != r.conn || r.phase != Phase.CONNECTING) {
                        connecting.close();
                        return;
                    }
                    if (!done.isSuccess()) {
                        if (done.cause() instanceof BackendBootstrap.Failure f) {
                            error(r, f.kind, f.getMessage(), f.during, false);
                        } else {
                            error(r, NextUpstream.ERROR, "connect() failed (" + Errno.describe(done.cause()) + ")",
                                    "connecting to upstream", false);
                        }
                        return;
                    }
                    r.vars.connected();
                    RequestSender.sendHead(r);
                });
    }

    /** The backend closed: before the response, a failed try; while relaying, a truncated response. */
    static void inactive(ProxyRequest r) {
        switch (r.phase) {
            case SENDING, READING_HEADER -> error(r, NextUpstream.ERROR, "upstream prematurely closed connection",
                    r.phase == Phase.SENDING ? "sending request to upstream" : "reading response header from upstream",
                    false);
            case RELAYING -> {
                // the ResponseDecoder ends a close-delimited body with a LastHttpContent before this; a truncated one
                // with a failed LastHttpContent. Anything else here is a close mid-body.
                r.ex.log().error("upstream prematurely closed connection while reading upstream" + r.context());
                RequestEnd.abort(r);
            }
            default -> {
            }
        }
    }

    static void exception(ProxyRequest r, Throwable cause) {
        String what = r.phase == Phase.RELAYING ? "reading upstream" : r.phase == Phase.SENDING
                ? "sending request to upstream" : "reading response header from upstream";
        if (r.phase == Phase.RELAYING) {
            r.ex.log().error("recv() failed (" + Errno.describe(cause) + ") while " + what + r.context());
            RequestEnd.abort(r);
            return;
        }
        if (r.phase != Phase.DONE) {
            error(r, NextUpstream.ERROR, "recv() failed (" + Errno.describe(cause) + ")", what, false);
        }
    }

    static boolean mayRetry(ProxyRequest r) {
        return NextUpstreams.mayRetry(r.loc.conf, r.ex.method(), !r.hasBody || r.body.replayable() && r.bodyComplete,
                r.tries, r.group.upstream().peers().maxTries(), EventClock.nanoTime() - r.startNanos);
    }

    static void error(ProxyRequest r, NextUpstream kind, String message, String while_, boolean noLive) {
        error(r, kind, message, while_, noLive, true);
    }

    /**
     * One failed try: log it, count it against the peer, then try the next peer if {@code proxy_next_upstream}
     * allows, else answer 502 (504 for a timeout).
     */
    static void error(ProxyRequest r, NextUpstream kind, String message, String while_, boolean noLive,
                      boolean countsAsFail) {
        if (r.phase == Phase.DONE) {
            return;
        }
        r.cancelTimer();
        r.vars.ended(kind == NextUpstream.TIMEOUT ? 504 : 502);
        if (noLive) {
            r.ex.log().error("no live upstreams while " + while_ + r.context());
        } else if (message != null) {
            r.ex.log().error(message + " while " + while_ + r.context());
        }
        if (r.peer != null) {
            if (r.group.upstream().release(r.peer, countsAsFail)) {
                r.ex.log().warn("upstream server temporarily disabled while " + while_ + r.context());
            }
            r.peer = null;
        }
        RequestEnd.closeUpstream(r);
        if (!noLive && kind != null && r.loc.conf.nextUpstream().contains(kind) && mayRetry(r)) {
            RequestSender.resetBody(r);
            connect(r);
            return;
        }
        RequestEnd.answer(r, ProxyRequest.gatewayError(kind == NextUpstream.TIMEOUT ? 504 : 502));
    }
}
