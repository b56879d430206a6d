package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.Exchange;
import dev.pier.http.ExchangeListener;
import dev.pier.http.HttpError;
import dev.pier.http.proxy.upstream.Attempt;
import dev.pier.http.proxy.upstream.KeepalivePool;
import dev.pier.http.proxy.upstream.Peer;
import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request on the client's event loop ({@code ngx_http_upstream_t}): picks a peer, connects (or reuses a
 * kept-alive connection), streams the request body one piece at a time (the next client read only after the
 * previous write to the backend completed), streams the response the same way in the other direction, retries per
 * {@code proxy_next_upstream}, and maps failures to 502/504 with nginx's log lines.
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
    private Attempt attempt;
    private String uri;
    private final long startNanos = System.nanoTime();
    private final boolean hasBody;
    private final boolean chunkedBody;
    private final boolean bufferWholeBody;

    private Phase phase = Phase.CONNECTING;
    /** The body on its way: read whole first ({@code proxy_request_buffering on}, or chunked to HTTP/1.0) or
     *  streamed. */
    private final RequestBody body;
    private boolean bodyComplete;
    private boolean bodyWriting;
    private boolean bodySent;
    private int tries;
    private Peer peer;
    private UpstreamConnection conn;
    private ScheduledFuture<?> timer;
    private HttpResponse upstreamResponse;
    private boolean skippingInformational;
    private boolean backendReading;
    private boolean clientGone;
    /** How the response waits for the client: memory, then the temp file. */
    private final ResponseBuffer out;
    /** The response's end (with any trailers), held until the spooled rest was sent. */
    private LastHttpContent lastAfterSpool;
    /** The backend answered while the body was still going out: the rest of the body is not sent. */
    private boolean earlyResponse;
    /** The TLS key of connections this request uses (null for plain http). */
    private Object tlsKey;
    private String tlsName;
    final UpstreamVars vars = new UpstreamVars();
    /** Removed when the request ends: a keep-alive connection would otherwise collect one per request. */
    private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<Void>> onClientClose =
            f -> clientClosed();

    ProxyRequest(ProxyLocation loc, Exchange ex) {
        this.loc = loc;
        this.ex = ex;
        this.client = ex.channel();
        this.out = new ResponseBuffer(ex, this::clientProgress);
        ex.put(ProxyVariables.REQUEST, this); // before anything renders $proxy_host or a hash key
        if (loc.group != null) {
            this.group = loc.group;
            this.target = loc.target;
            this.attempt = group.attempt(ex);
            this.uri = UriRewrite.upstreamUri(loc.passUri, loc.pass.location(), ex.uri(), ex.args(),
                    ex.requestUri(), ex.uriChanged());
        }
        HttpRequest r = ex.request();
        this.chunkedBody = HttpUtil.isTransferEncodingChunked(r);
        // after X-Accel-Redirect the body is gone (nginx discards it): the redirected GET goes without one
        this.hasBody = loc.conf.passRequestBody() && !ex.bodyDiscarded()
                && (chunkedBody || HttpUtil.getContentLength(r, 0L) > 0);
        // nginx reads the whole body first with proxy_request_buffering on (its default), and always for a chunked
        // body to an HTTP/1.0 backend, which needs a Content-Length
        this.bufferWholeBody = hasBody && (loc.conf.requestBuffering()
                || chunkedBody && loc.requestHead.version() == HttpVersion.HTTP_1_0);
        this.body = new RequestBody(bufferWholeBody ? new RequestSpool(client.alloc(),
                loc.bodyTemp.clientBodyBufferSize(), loc.bodyTemp.clientBodyTempPath(),
                loc.bodyTemp.clientBodyTempLevels()) : null);
        if (!hasBody) {
            bodyComplete = !(chunkedBody || HttpUtil.getContentLength(r, 0L) > 0);
        }
    }

    void start() {
        ex.takeOver(this);
        client.closeFuture().addListener(onClientClose);
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
    private void begin() {
        if (group != null) {
            connect();
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
        connect();
    }

    /** A URL with variables led nowhere: log {@code message} with the request's context and answer {@code status}. */
    void failBeforeConnect(String message, int status) {
        if (phase == Phase.DONE) {
            return;
        }
        ex.log().error(message + context());
        phase = Phase.DONE;
        client.closeFuture().removeListener(onClientClose);
        releaseBody();
        ex.sendError(status == 502 ? new HttpError(502, "Bad Gateway", true, dev.pier.config.bind.LogLevel.ERROR)
                : HttpError.forStatus(status));
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    // ---- request body from the client ----

    @Override
    public void content(HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            piece.release();
            ex.abort();
            closeUpstream();
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        if (!hasBody || phase == Phase.DONE || earlyResponse) {
            piece.release();
            bodyComplete |= last;
            if (!last && phase != Phase.DONE) {
                client.read(); // after an early response too: a client that sends before it reads must not stall
            }
            return;
        }
        if (last) {
            bodyComplete = true;
        }
        if (bufferWholeBody) {
            try {
                body.spool(piece.content().retain());
            } catch (java.io.IOException e) {
                piece.release();
                ex.log().crit("write() to a temp file in \"" + loc.bodyTemp.clientBodyTempPath() + "\" failed ("
                        + Errno.describe(e) + ")" + ex.logContext());
                finish(false);
                ex.sendError(HttpError.forStatus(500));
                return;
            }
            piece.release();
            if (last) {
                begin();
            } else {
                client.read();
            }
            return;
        }
        body.offer(piece);
        sendBody();
    }

    // ---- connecting ----

    private void connect() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.CONNECTING;
        peer = group.upstream().select(attempt);
        vars.started(peer == null ? group.conf().name() : peer.addressText());
        if (peer == null) {
            error(null, "no live upstreams", "connecting to upstream", true);
            return;
        }
        tries++;
        if (target.ssl() && tlsName == null) {
            tlsName = loc.tls.name(target.host());
            tlsKey = loc.tls.poolKey(tlsName);
        }
        KeepalivePool pool = group.pool(client.eventLoop());
        UpstreamConnection cached = pool == null ? null : pool.acquire(peer, tlsKey);
        if (cached != null) {
            conn = cached;
            conn.listener(this);
            vars.connected();
            sendHead();
            return;
        }
        conn = new UpstreamConnection(peer, System.nanoTime() / 1_000_000, tlsKey);
        conn.listener(this);
        int tlsPort = peer.address() instanceof java.net.InetSocketAddress a ? a.getPort() : target.port();
        UpstreamConnection connecting = conn;
        BackendBootstrap.open(client, conn, peer.address(),
                (int) Math.min(Integer.MAX_VALUE, loc.conf.connectTimeout().toMillis()), loc.maxHeader,
                tlsKey == null ? null : () -> loc.tls.newHandler(client.alloc(), tlsName, tlsPort)).addListener(done -> {
                    if (connecting != conn || phase != Phase.CONNECTING) {
                        connecting.close();
                        return;
                    }
                    if (!done.isSuccess()) {
                        if (done.cause() instanceof BackendBootstrap.Failure f) {
                            error(f.kind, f.getMessage(), f.during, false);
                        } else {
                            error(NextUpstream.ERROR, "connect() failed (" + Errno.describe(done.cause()) + ")",
                                    "connecting to upstream", false);
                        }
                        return;
                    }
                    vars.connected();
                    sendHead();
                });
    }

    // ---- sending the request ----

    private void sendHead() {
        phase = Phase.SENDING;
        HttpRequest head = loc.requestHead.build(ex, uri);
        if (hasBody) {
            if (bufferWholeBody) {
                HttpUtil.setContentLength(head, body.size());
                head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            } else if (chunkedBody) {
                head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, ex.request().headers().get("Content-Length"));
            }
        }
        conn.requestSent();
        if (loc.requestHead.mayUpgrade() && ex.request().headers().contains(HttpHeaderNames.UPGRADE)) {
            vars.upgradeRequested = true;
        }
        bodyWriting = true;
        armTimer(loc.conf.sendTimeout().toMillis(), "sending request to upstream");
        if (!hasBody) {
            conn.channel().write(head); // the codec's encoder needs the end of each message
        }
        conn.channel().writeAndFlush(hasBody ? head : LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
            bodyWriting = false;
            if (!f.isSuccess()) {
                writeFailed(f.cause());
                return;
            }
            if (!hasBody) {
                requestSent();
            } else {
                watchEarlyResponse();
                sendBody();
            }
        });
    }

    /**
     * While a body goes out, the backend is read too (without a timer: proxy_send_timeout runs), so an answer
     * that comes before the body ends (a 413, a 401) is seen and relayed instead of waiting for a stalled send.
     */
    private void watchEarlyResponse() {
        if (phase == Phase.SENDING && !backendReading && conn != null) {
            backendReading = true;
            conn.channel().read();
        }
    }

    private void sendBody() {
        if (phase != Phase.SENDING || bodyWriting) {
            return;
        }
        HttpContent piece;
        try {
            piece = body.next();
        } catch (java.io.IOException e) {
            error(null, "read() from a temp file failed (" + Errno.describe(e) + ")", "sending request to upstream",
                    false);
            return;
        }
        if (piece == null) {
            if (!bodyComplete) {
                client.read();
            }
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        bodyWriting = true;
        armTimer(loc.conf.sendTimeout().toMillis(), "sending request to upstream");
        conn.channel().writeAndFlush(piece).addListener(f -> {
            bodyWriting = false;
            if (!f.isSuccess()) {
                writeFailed(f.cause());
            } else if (last) {
                requestSent();
            } else {
                sendBody();
            }
        });
    }

    private void writeFailed(Throwable cause) {
        if (phase == Phase.SENDING) {
            error(NextUpstream.ERROR, "send() failed (" + Errno.describe(cause) + ")", "sending request to upstream",
                    false);
        }
    }

    private void requestSent() {
        bodySent = true;
        phase = Phase.READING_HEADER;
        readBackend();
    }

    // ---- the response ----

    private void readBackend() {
        if (!backendReading && phase != Phase.DONE) {
            backendReading = true;
            armTimer(loc.conf.readTimeout().toMillis(), phase == Phase.RELAYING ? "reading upstream"
                    : "reading response header from upstream");
            conn.channel().read();
        }
    }

    @Override
    public void readComplete(UpstreamConnection c) {
        backendReading = false;
        if (phase == Phase.SENDING) {
            watchEarlyResponse();
            return;
        }
        cancelTimer();
        if (phase == Phase.RELAYING && !clientGone) {
            client.flush(); // one flush per backend read batch
        }
        if (phase == Phase.READING_HEADER || (phase == Phase.RELAYING && canReadAhead())) {
            readBackend();
        }
    }

    private boolean canReadAhead() {
        return clientGone || out.canReadAhead(); // a gone client (proxy_ignore_client_abort): read and drop
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (writable) {
            clientProgress();
        }
    }

    /** The client took some of the response: feed it from the temp file, then read the backend again. */
    private void clientProgress() {
        if (phase == Phase.RELAYING || phase == Phase.DRAINING) {
            pump();
        }
        if (phase == Phase.RELAYING && canReadAhead()) {
            readBackend();
        }
    }

    /** Sends spooled bytes while the client keeps up; ends the response once the backend is done and all sent. */
    private void pump() {
        if (clientGone) {
            return;
        }
        try {
            out.pump();
        } catch (java.io.IOException e) {
            ex.log().crit("read() from a temp file in \"" + loc.bodyTemp.proxyTempPath() + "\" failed ("
                    + Errno.describe(e) + ")" + context());
            finish(true);
            ex.abort();
            return;
        }
        if (phase == Phase.DRAINING && !out.pending()) {
            LastHttpContent last = lastAfterSpool;
            lastAfterSpool = null;
            phase = Phase.DONE;
            client.closeFuture().removeListener(onClientClose);
            releaseBody();
            ex.finishResponse(last);
            client.flush();
        }
    }

    @Override
    public void read(UpstreamConnection c, Object msg) {
        if (phase == Phase.DONE || phase == Phase.CONNECTING || phase == Phase.DRAINING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse res) {
            if (res.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                error(NextUpstream.INVALID_HEADER, "upstream sent invalid header",
                        "reading response header from upstream", false);
                return;
            }
            if (res.status().code() < 200 && res.status().code() != 101) {
                skippingInformational = true; // 100 Continue and friends: nginx never passes them on
                return;
            }
            if (phase == Phase.SENDING) {
                earlyResponse();
            }
            if (msg instanceof HttpContent hc) {
                // a FullHttpResponse is not produced by the codec, but be safe
                header(res);
                content(hc);
                return;
            }
            header(res);
            return;
        }
        if (msg instanceof HttpContent piece) {
            if (skippingInformational) {
                skippingInformational = !(piece instanceof LastHttpContent);
                piece.release();
                return;
            }
            if (phase == Phase.SENDING) {
                piece.release(); // bytes before any response head: the codec reports them as a failed head
                return;
            }
            responseContent(piece);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /**
     * The backend answered before the request body was all sent (nginx relays such an answer too): the rest of the
     * body is not sent, and since the backend's view of the request is incomplete its connection is closed after
     * the response, never reused. What the client still sends is read and dropped, as nginx discards it, so a
     * client that sends its whole body before reading cannot stall the answer.
     */
    private void earlyResponse() {
        cancelTimer();
        phase = Phase.READING_HEADER;
        if (!hasBody || bodySent) {
            return;
        }
        earlyResponse = true;
        body.dropPending();
        if (!bodyComplete) {
            client.read(); // the rest of the body is read and dropped while the answer is relayed
        }
        ex.log().info("upstream sent response while the request body was being sent" + context());
    }

    private void header(HttpResponse res) {
        if (phase != Phase.READING_HEADER) {
            return;
        }
        vars.header(res.status().code());
        int code = res.status().code();
        if (code == 101) {
            if (vars.upgradeRequested) {
                cancelTimer();
                phase = Phase.DONE;
                UpgradeRelay.start(this, conn, loc.responseHead.build(res, true));
                conn = null;
                return;
            }
            error(NextUpstream.INVALID_HEADER, "upstream sent unexpected 101 status", "reading response header "
                    + "from upstream", false);
            return;
        }
        NextUpstream status = NextUpstreams.statusCondition(code);
        if (status != null && loc.conf.nextUpstream().contains(status) && mayRetry()) {
            boolean counts = code != 403 && code != 404;
            error(status, null, "reading response header from upstream", false, counts);
            return;
        }
        upstreamResponse = res;
        String accel = res.headers().get("X-Accel-Redirect");
        if (accel != null && !loc.conf.ignoreHeaders().contains("x-accel-redirect")) {
            accelRedirect(res, accel);
            return;
        }
        phase = Phase.RELAYING;
        out.configure(loc, res);
        HttpResponse head = loc.responseHead.build(res, false);
        boolean delimited = HttpUtil.isContentLengthSet(res) || HttpUtil.isTransferEncodingChunked(res);
        if (!HttpUtil.isContentLengthSet(res)) {
            head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        vars.closeDelimited = !delimited;
        if (!clientGone) {
            ex.sendHead(head);
        }
    }

    /** Headers nginx keeps from an X-Accel-Redirect response for the redirected one (its "redirect" flag). */
    private static final List<String> REDIRECT_KEPT = List.of("Set-Cookie", "Content-Disposition", "Cache-Control",
            "Expires", "Accept-Ranges");

    /**
     * {@code X-Accel-Redirect: URI} ({@code ngx_http_upstream_process_headers}): the backend's answer is dropped
     * (its connection closed), the request goes on as an internal redirect to {@code URI} (or a named location)
     * with GET (HEAD stays HEAD), carrying the backend's cookies and caching headers.
     */
    private void accelRedirect(HttpResponse res, String target) {
        io.netty.handler.codec.http.HttpHeaders kept = new io.netty.handler.codec.http.DefaultHttpHeaders(false);
        for (String n : REDIRECT_KEPT) {
            for (String v : res.headers().getAll(n)) {
                kept.add(n, n.equals("Set-Cookie") ? loc.responseHead.cookie(v) : v);
            }
        }
        vars.closeDelimited = true; // the body is not read: the connection cannot be reused
        finish(false);
        if (clientGone) {
            return;
        }
        ex.accelRedirect(target, kept);
    }

    private void responseContent(HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            piece.release();
            ex.log().error("upstream prematurely closed connection while reading upstream" + context());
            finish(true);
            ex.abort();
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        if (!clientGone && out.spools()) {
            spool(piece, last);
            return;
        }
        if (clientGone) {
            piece.release();
        } else if (last) {
            // over before the last write: with "Connection: close" that write closes the client connection, and
            // the close listener must not take a finished request for an aborted one
            finish(false);
            ex.finishResponse((LastHttpContent) piece);
            // flush now: once the connection is back in the pool its read-complete events no longer reach us,
            // and the client waits for this response before it sends anything that would flush it
            client.flush();
            if (!client.isActive()) {
                clientGone = true;
            }
        } else {
            out.send(piece.content());
        }
        if (last) {
            finish(false);
        } else if (canReadAhead()) {
            readBackend();
        }
    }

    /**
     * A piece into the temp file (order is kept: once something is spooled everything after it is too). At the
     * response's end the backend connection is released at once (so a slow client no longer holds the backend)
     * and the rest is sent from the file ({@link Phase#DRAINING}).
     */
    private void spool(HttpContent piece, boolean last) {
        try {
            out.spool(piece.content());
        } catch (java.io.IOException e) {
            piece.release();
            ex.log().crit("write() to a temp file in \"" + loc.bodyTemp.proxyTempPath() + "\" failed ("
                    + Errno.describe(e) + ")" + context());
            finish(true);
            ex.abort();
            return;
        }
        if (last) {
            LastHttpContent l = (LastHttpContent) piece;
            lastAfterSpool = l.trailingHeaders().isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new io.netty.handler.codec.http.DefaultLastHttpContent(io.netty.buffer.Unpooled.EMPTY_BUFFER,
                    l.trailingHeaders().copy());
            piece.release();
            releaseUpstream(false);
            phase = Phase.DRAINING;
            // pieces of this read batch written before it are not flushed yet (the backend's read-complete
            // would have), and the file is sent only once they are taken
            client.flush();
            pump();
            return;
        }
        piece.release();
        if (canReadAhead()) {
            readBackend();
        }
    }

    // ---- connection events ----

    @Override
    public void inactive(UpstreamConnection c) {
        switch (phase) {
            case SENDING, READING_HEADER -> error(NextUpstream.ERROR, "upstream prematurely closed connection",
                    phase == Phase.SENDING ? "sending request to upstream" : "reading response header from upstream",
                    false);
            case RELAYING -> {
                // HttpClientCodec ends a close-delimited body with a LastHttpContent before this; a truncated one
                // with a failed LastHttpContent. Anything else here is a close mid-body.
                ex.log().error("upstream prematurely closed connection while reading upstream" + context());
                finish(true);
                ex.abort();
            }
            default -> {
            }
        }
    }

    @Override
    public void exception(UpstreamConnection c, Throwable cause) {
        String what = phase == Phase.RELAYING ? "reading upstream" : phase == Phase.SENDING
                ? "sending request to upstream" : "reading response header from upstream";
        if (phase == Phase.RELAYING) {
            ex.log().error("recv() failed (" + Errno.describe(cause) + ") while " + what + context());
            finish(true);
            ex.abort();
            return;
        }
        if (phase != Phase.DONE) {
            error(NextUpstream.ERROR, "recv() failed (" + Errno.describe(cause) + ")", what, false);
        }
    }

    private void clientClosed() {
        if (phase == Phase.DONE) {
            return;
        }
        clientGone = true;
        if (phase == Phase.DRAINING) {
            // the backend is done already: only the temp file is left to let go of
            ex.log().info("client prematurely closed connection while sending to client" + context());
            finish(false);
            return;
        }
        if (loc.conf.ignoreClientAbort() && phase != Phase.CONNECTING) {
            if (phase == Phase.RELAYING) {
                readBackend();
            }
            return;
        }
        ex.log().info("client prematurely closed connection, so upstream connection is closed too while "
                + (phase == Phase.RELAYING ? "reading upstream" : phase == Phase.CONNECTING
                ? "connecting to upstream" : "sending request to upstream") + context());
        finish(false);
        closeUpstream();
    }

    // ---- errors and retries ----

    private boolean mayRetry() {
        return NextUpstreams.mayRetry(loc.conf, ex.method(), !hasBody || body.replayable() && bodyComplete, tries,
                group.upstream().peers().maxTries(), System.nanoTime() - startNanos);
    }

    private void error(NextUpstream kind, String message, String while_, boolean noLive) {
        error(kind, message, while_, noLive, true);
    }

    /**
     * One failed try: log it, count it against the peer, then try the next peer if {@code proxy_next_upstream}
     * allows, else answer 502 (504 for a timeout).
     */
    private void error(NextUpstream kind, String message, String while_, boolean noLive, boolean countsAsFail) {
        if (phase == Phase.DONE) {
            return;
        }
        cancelTimer();
        vars.ended(kind == NextUpstream.TIMEOUT ? 504 : 502);
        if (noLive) {
            ex.log().error("no live upstreams while " + while_ + context());
        } else if (message != null) {
            if (kind == NextUpstream.TIMEOUT) {
                ex.log().error(message + " while " + while_ + context());
            } else {
                ex.log().error(message + " while " + while_ + context());
            }
        }
        if (peer != null) {
            if (group.upstream().release(peer, countsAsFail)) {
                ex.log().warn("upstream server temporarily disabled while " + while_ + context());
            }
            peer = null;
        }
        closeUpstream();
        if (!noLive && kind != null && loc.conf.nextUpstream().contains(kind) && mayRetry()) {
            resetBody();
            connect();
            return;
        }
        phase = Phase.DONE;
        client.closeFuture().removeListener(onClientClose);
        releaseBody();
        ex.sendError(kind == NextUpstream.TIMEOUT ? new HttpError(504, "Gateway Time-out", true,
                dev.pier.config.bind.LogLevel.ERROR) : new HttpError(502, "Bad Gateway", true,
                dev.pier.config.bind.LogLevel.ERROR));
    }

    /** Re-queues the kept body for the next try. */
    private void resetBody() {
        bodySent = false;
        earlyResponse = false; // the next server gets the whole body again
        if (hasBody) {
            body.rewind(bodyComplete);
        } else {
            body.dropPending();
        }
    }

    private void releaseBody() {
        body.release();
        out.close();
    }

    /** The request is over: the peer is released; a clean connection goes back to the pool. */
    private void finish(boolean failed) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        client.closeFuture().removeListener(onClientClose);
        releaseBody();
        releaseUpstream(failed);
    }

    /** The backend's part is over: the peer is released; a clean connection goes back to the pool. */
    private void releaseUpstream(boolean failed) {
        cancelTimer();
        vars.ended(502);
        if (peer != null) {
            group.upstream().release(peer, failed);
            peer = null;
        }
        if (conn == null) {
            return;
        }
        KeepalivePool pool = group.pool(client.eventLoop());
        boolean clean = !failed && pool != null && bodySent && !earlyResponse && upstreamResponse != null
                && !vars.closeDelimited
                && loc.requestHead.version() == HttpVersion.HTTP_1_1
                && HttpUtil.isKeepAlive(upstreamResponse)
                && !"close".equalsIgnoreCase(lastRequestConnection());
        UpstreamConnection c = conn;
        conn = null;
        if (clean) {
            pool.release(c);
        } else {
            c.close();
        }
    }

    private String lastRequestConnection() {
        return loc.requestHead.connectionValue(ex);
    }

    private void closeUpstream() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
        if (phase == Phase.DONE) {
            releaseBody();
        }
    }

    // ---- timers and log context ----

    private void armTimer(long millis, String while_) {
        cancelTimer();
        if (millis <= 0) {
            return;
        }
        timer = client.eventLoop().schedule(() -> {
            timer = null;
            if (phase == Phase.RELAYING) {
                ex.log().error("upstream timed out (110: Connection timed out) while " + while_ + context());
                finish(true);
                ex.abort();
            } else {
                error(NextUpstream.TIMEOUT, "upstream timed out (110: Connection timed out)", while_, false);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
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
