package dev.pier.http.proxy;

import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.EventClock;
import dev.pier.http.Exchange;
import dev.pier.http.ExchangeListener;
import dev.pier.http.HttpError;
import dev.pier.http.ScannedRequest;
import dev.pier.http.proxy.upstream.Attempt;
import dev.pier.http.proxy.upstream.Peer;
import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;


/**
 * One proxied request on the client's event loop ({@code ngx_http_upstream_t}): the state of the request and the
 * events that drive it. The steps live beside it, each a set of functions over this state, like nginx's
 * {@code ngx_http_upstream_*} functions over {@code r, u} (no object per step, so a request allocates nothing more
 * for being split):
 * {@link UpstreamTries} picks a peer, connects (or reuses a kept-alive connection) and decides retries per
 * {@code proxy_next_upstream}, mapping failures to 502/504 with nginx's log lines; {@link RequestSender} sends the
 * head and streams the body one piece at a time (the next client read only after the previous write to the
 * backend completed); {@link HeaderRelay} takes the response head; {@link BodyRelay} streams the response the same
 * way in the other direction; {@link RequestEnd} lets go of the backend and the body, and handles a client that
 * went away.
 */
final class ProxyRequest implements ExchangeListener, UpstreamConnection.Listener {
    /** DRAINING: the backend is done (its connection released) and the spooled rest goes to the client. */
    enum Phase { CONNECTING, SENDING, READING_HEADER, RELAYING, DRAINING, DONE }

    final ProxyLocation loc;
    final Exchange ex;
    final Channel client;
    /** The upstream, {@code $proxy_host}, the URI and the walk over peers: fixed, or set once a URL with
     *  variables is rendered (and its host found or resolved). */
    UpstreamGroup group;
    ProxyTarget target;
    Attempt attempt;
    String uri;
    final long startNanos = EventClock.nanoTime();
    final boolean hasBody;
    final boolean chunkedBody;
    final boolean bufferWholeBody;
    /** The body goes upstream chunked (streamed from a chunked request); else with a Content-Length. */
    final boolean chunkedUpstream;

    Phase phase = Phase.CONNECTING;
    /** The body on its way: read whole first ({@code proxy_request_buffering on}, or chunked to HTTP/1.0) or
     *  streamed. */
    final RequestBody body;
    boolean bodyComplete;
    boolean bodyWriting;
    boolean bodySent;
    int tries;
    Peer peer;
    UpstreamConnection conn;
    /** The step the armed timeout is for (nginx's "while ..." in the log line); the timer is the connection's. */
    private String timerWhile;
    HttpResponse upstreamResponse;
    boolean skippingInformational;
    boolean backendReading;
    boolean clientGone;
    /** How the response waits for the client: memory, then the temp file. */
    final ResponseBuffer out;
    /** The response's end (with any trailers), held until the spooled rest was sent. */
    LastHttpContent lastAfterSpool;
    /** The backend answered while the body was still going out: the rest of the body is not sent. */
    boolean earlyResponse;
    /** The TLS key of connections this request uses (null for plain http). */
    Object tlsKey;
    String tlsName;
    final UpstreamVars vars = new UpstreamVars();
    /** Removed when the request ends: a keep-alive connection would otherwise collect one per request. */
    final Runnable onClientClose = () -> RequestEnd.clientClosed(this);

    ProxyRequest(ProxyLocation loc, Exchange ex) {
        this.loc = loc;
        this.ex = ex;
        this.client = ex.channel();
        this.out = new ResponseBuffer(ex, () -> BodyRelay.clientProgress(this));
        ex.put(ProxyVariables.REQUEST, this); // before anything renders $proxy_host or a hash key
        if (loc.group != null) {
            this.group = loc.group;
            this.target = loc.target;
            this.attempt = group.attempt(ex);
            this.uri = UriRewrite.upstreamUri(loc.passUri, loc.pass.location(), ex.uri(), ex.args(),
                    ex.requestUri(), ex.uriChanged());
        }
        HttpRequest r = ex.request();
        this.chunkedBody = ScannedRequest.chunked(r);
        boolean announced = chunkedBody || ScannedRequest.contentLength(r) > 0;
        // after X-Accel-Redirect the body is gone (nginx discards it): the redirected GET goes without one
        this.hasBody = loc.conf.passRequestBody() && !ex.bodyDiscarded() && announced;
        // nginx reads the whole body first with proxy_request_buffering on (its default), and always for a chunked
        // body to an HTTP/1.0 backend, which needs a Content-Length
        this.bufferWholeBody = hasBody && (loc.conf.requestBuffering()
                || chunkedBody && loc.requestHead.version() == HttpVersion.HTTP_1_0);
        this.chunkedUpstream = hasBody && chunkedBody && !bufferWholeBody;
        this.body = new RequestBody(bufferWholeBody ? new RequestSpool(client.alloc(),
                loc.bodyTemp.clientBodyBufferSize(), loc.bodyTemp.clientBodyTempPath(),
                loc.bodyTemp.clientBodyTempLevels()) : null);
        if (!hasBody) {
            bodyComplete = !announced;
        }
    }

    void start() {
        ex.takeOver(this);
        ex.whenClientCloses(onClientClose);
        if (bufferWholeBody) {
            client.read(); // count a chunked body before connecting: HTTP/1.0 needs Content-Length
            return;
        }
        if (hasBody) {
            client.read(); // the first piece may arrive while connecting; then reads follow writes
        }
        begin();
    }

    /** Connects, after rendering a URL with variables and finding its upstream ({@link ProxyEval}). */
    void begin() {
        if (group != null) {
            UpstreamTries.connect(this);
            return;
        }
        ProxyEval.target(this);
    }

    /** A URL with variables was rendered: its target and URI, then its upstream once known. */
    void evaluated(ProxyTarget target, String uri) {
        this.target = target;
        this.uri = uri != null ? uri : UriRewrite.upstreamUri(null, loc.pass.location(), ex.uri(), ex.args(),
                ex.requestUri(), ex.uriChanged());
    }

    void upstreamFound(UpstreamGroup g) {
        if (phase == Phase.DONE) {
            return;
        }
        this.group = g;
        this.attempt = g.attempt(ex);
        UpstreamTries.connect(this);
    }

    /** A URL with variables led nowhere: log {@code message} with the request's context and answer {@code status}. */
    void failBeforeConnect(String message, int status) {
        if (phase == Phase.DONE) {
            return;
        }
        ex.log().error(message + context());
        RequestEnd.answer(this, status == 502 ? gatewayError(502) : HttpError.forStatus(status));
    }

    /** 502 Bad Gateway or 504 Gateway Time-out, logged at {@code error} as nginx does. */
    static HttpError gatewayError(int status) {
        return status == 504 ? new HttpError(504, "Gateway Time-out", true, LogLevel.ERROR)
                : new HttpError(502, "Bad Gateway", true, LogLevel.ERROR);
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    // ---- events: the client ----

    @Override
    public void content(HttpContent piece) {
        RequestSender.content(this, piece);
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (writable) {
            BodyRelay.clientProgress(this);
        }
    }

    // ---- events: the backend ----

    @Override
    public void read(UpstreamConnection c, Object msg) {
        HeaderRelay.read(this, msg);
    }

    @Override
    public void readComplete(UpstreamConnection c) {
        BodyRelay.readComplete(this);
    }

    @Override
    public void inactive(UpstreamConnection c) {
        UpstreamTries.inactive(this);
    }

    @Override
    public void exception(UpstreamConnection c, Throwable cause) {
        UpstreamTries.exception(this, cause);
    }

    // ---- timers and log context ----

    /**
     * {@code proxy_send_timeout} / {@code proxy_read_timeout} for the step named by {@code while_}, on the backend
     * connection's own timer ({@link UpstreamConnection#timer()}), which calls {@link #timeout} when it expires.
     */
    void armTimer(long millis, String while_) {
        if (millis <= 0) {
            cancelTimer();
            return;
        }
        timerWhile = while_;
        conn.timer().arm(millis);
    }

    void cancelTimer() {
        if (conn != null && conn.timer() != null) {
            conn.timer().disarm();
        }
    }

    @Override
    public void timeout(UpstreamConnection c) {
        if (c != conn) {
            return; // a connection this request has let go of
        }
        if (phase == Phase.RELAYING) {
            ex.log().error("upstream timed out (110: Connection timed out) while " + timerWhile + context());
            RequestEnd.abort(this);
        } else {
            UpstreamTries.error(this, NextUpstream.TIMEOUT, "upstream timed out (110: Connection timed out)",
                    timerWhile, false);
        }
    }

    /** nginx's context: client, server, request, upstream, host. */
    String context() {
        String host = ex.request().headers().get(HttpHeaderNames.HOST);
        String referrer = ex.request().headers().get(HttpHeaderNames.REFERER);
        return ", client: " + ex.remoteAddr() + ", server: " + ex.server().primaryName() + ", request: \""
                + ex.method() + " " + ex.request().uri() + " " + ex.request().protocolVersion() + "\""
                + (peer != null ? ", upstream: \"" + (target != null && target.ssl() ? "https://" : "http://")
                + peer.addressText()
                + (peer.address() instanceof java.net.UnixDomainSocketAddress ? ":" : "") + uri + "\"" : "")
                + (host != null ? ", host: \"" + host + "\"" : "")
                + (referrer != null ? ", referrer: \"" + referrer + "\"" : "");
    }

    /** The head of the response being relayed, for {@code $upstream_http_NAME}; null before one arrived. */
    HttpResponse upstreamResponse() {
        return upstreamResponse;
    }

    long readTimeoutMillis() {
        return loc.conf.readTimeout().toMillis();
    }
}
