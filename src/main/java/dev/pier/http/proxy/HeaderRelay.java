package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.HeaderMaps;
import dev.pier.http.proxy.ProxyRequest.Phase;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * What a {@link ProxyRequest} reads from the backend, up to the response head
 * ({@code ngx_http_upstream_process_header}): informational responses are skipped (nginx never passes them on),
 * {@code 101} hands the connection to {@link UpgradeRelay}, a status named in {@code proxy_next_upstream} tries the
 * next peer, {@code X-Accel-Redirect} becomes an internal redirect, and any other head goes to the client through
 * the {@code proxy_*header} rules; the body then goes to {@link BodyRelay}.
 */
final class HeaderRelay {
    /** Headers nginx keeps from an X-Accel-Redirect response for the redirected one (its "redirect" flag). */
    private static final List<String> REDIRECT_KEPT = List.of("Set-Cookie", "Content-Disposition", "Cache-Control",
            "Expires", "Accept-Ranges");

    private static final AsciiString X_ACCEL_REDIRECT = AsciiString.cached("X-Accel-Redirect");

    private HeaderRelay() {
    }

    /** One message from the backend's codec (its reference passes here). */
    static void read(ProxyRequest r, Object msg) {
        if (r.phase == Phase.DONE || r.phase == Phase.CONNECTING || r.phase == Phase.DRAINING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse res) {
            if (res.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                UpstreamTries.error(r, NextUpstream.INVALID_HEADER, "upstream sent invalid header",
                        "reading response header from upstream", false);
                return;
            }
            if (res.status().code() < 200 && res.status().code() != 101) {
                r.skippingInformational = true; // 100 Continue and friends: nginx never passes them on
                return;
            }
            if (r.phase == Phase.SENDING) {
                RequestSender.earlyResponse(r);
            }
            header(r, res);
            if (msg instanceof HttpContent whole) {
                // a FullHttpResponse (the ResponseDecoder makes none, but an aggregator would): its content is the
                // whole response body
                piece(r, whole);
            }
            return;
        }
        if (msg instanceof HttpContent piece) {
            piece(r, piece);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private static void piece(ProxyRequest r, HttpContent piece) {
        if (r.phase == Phase.DONE || r.phase == Phase.CONNECTING || r.phase == Phase.DRAINING) {
            piece.release(); // the head just read ended this attempt (a retry, a redirect, an error)
            return;
        }
        if (r.skippingInformational) {
            r.skippingInformational = !(piece instanceof LastHttpContent);
            piece.release();
            return;
        }
        if (r.phase == Phase.SENDING) {
            piece.release(); // bytes before any response head: the codec reports them as a failed head
            return;
        }
        BodyRelay.content(r, piece);
    }

    private static void header(ProxyRequest r, HttpResponse res) {
        if (r.phase != Phase.READING_HEADER) {
            return;
        }
        r.vars.header(res.status().code());
        int code = res.status().code();
        if (code == 101) {
            if (r.vars.upgradeRequested) {
                r.cancelTimer();
                r.phase = Phase.DONE;
                UpgradeRelay.start(r, r.conn, r.loc.responseHead.upgradeHead(res));
                r.conn = null;
                return;
            }
            UpstreamTries.error(r, NextUpstream.INVALID_HEADER, "upstream sent unexpected 101 status",
                    "reading response header from upstream", false);
            return;
        }
        NextUpstream status = NextUpstreams.statusCondition(code);
        if (status != null && r.loc.conf.nextUpstream().contains(status) && UpstreamTries.mayRetry(r)) {
            boolean counts = code != 403 && code != 404;
            UpstreamTries.error(r, status, null, "reading response header from upstream", false, counts);
            return;
        }
        r.upstreamResponse = res;
        String accel = ParsedResponse.accel(res, X_ACCEL_REDIRECT);
        if (accel != null && !r.loc.conf.ignoreHeaders().contains("x-accel-redirect")) {
            accelRedirect(r, res, accel);
            return;
        }
        r.phase = Phase.RELAYING;
        r.out.configure(r.loc, res);
        r.vars.closeDelimited = ParsedResponse.closeDelimited(res);
        if (!r.clientGone) {
            r.ex.sendHead(res, r.loc.responseHead); // the client's head is built once, the proxy's rules applied
        }
    }

    /**
     * {@code X-Accel-Redirect: URI} ({@code ngx_http_upstream_process_headers}): the backend's answer is dropped
     * (its connection closed), the request goes on as an internal redirect to {@code URI} (or a named location)
     * with GET (HEAD stays HEAD), carrying the backend's cookies and caching headers.
     */
    private static void accelRedirect(ProxyRequest r, HttpResponse res, String target) {
        HttpHeaders kept = HeaderMaps.newMap();
        for (String n : REDIRECT_KEPT) {
            for (String v : res.headers().getAll(n)) {
                kept.add(n, n.equals("Set-Cookie") ? r.loc.responseHead.cookie(v) : v);
            }
        }
        r.vars.closeDelimited = true; // the body is not read: the connection cannot be reused
        RequestEnd.finish(r, false);
        if (r.clientGone) {
            return;
        }
        r.ex.accelRedirect(target, kept);
    }
}
