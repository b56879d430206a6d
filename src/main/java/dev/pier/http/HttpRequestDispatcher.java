package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.List;

/**
 * Turns each decoded request into an {@link Exchange} and runs nginx's phases: validation (400/414/505), server
 * selection by Host, the server level's rewrite phase, location selection, the location's rewrite phase, the content
 * phase; internal redirects start over (at most 10, as nginx). Request bodies are read and discarded. Responses are
 * written in request order and flushed once per read batch, so pipelined requests share a flush.
 */
final class HttpRequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final int MAX_INTERNAL_REDIRECTS = 10;

    private final HttpConnection conn;
    /** A taken-over exchange still answering; messages for later requests wait in {@link #queued}. */
    private Exchange async;
    private ExchangeListener asyncListener;
    /** The taken-over request's body is still arriving (it goes to the listener, or is dropped once released). */
    private boolean bodyPending;
    /** The current request's body has ended (its last piece was read): a later takeOver (an internal redirect
     *  after a proxy read it) must not wait for it again. */
    private boolean bodyEnded;
    /** Bytes of the taken-over request's body so far, for {@code client_max_body_size} on chunked bodies. */
    private long bodyBytes;
    private final java.util.ArrayDeque<Object> queued = new java.util.ArrayDeque<>();
    /** An exchange waiting out a {@link PhaseResult.Delay} ({@code limit_req}); later messages wait in queued. */
    private Exchange delayed;
    private ChannelHandlerContext ctx;

    /** nginx's 408 after {@code client_body_timeout}; the request stream is broken, so the connection closes. */
    private static final HttpError BODY_TIMEOUT = new HttpError(408, "Request Time-out", false,
            dev.pier.config.bind.LogLevel.INFO);

    HttpRequestDispatcher(HttpConnection conn) {
        this.conn = conn;
    }

    HttpConnection connection() {
        return conn;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        conn.inRead(true);
        if (bodyPending && msg instanceof HttpContent c && !(msg instanceof HttpRequest)) {
            if (c.decoderResult().isFailure()) {
                c.release();
                bodyInvalid();
                return;
            }
            bodyPending = !(c instanceof io.netty.handler.codec.http.LastHttpContent);
            bodyEnded = !bodyPending;
            conn.bodyTimer(bodyPending ? this::bodyTimedOut : null);
            long before = bodyBytes;
            bodyBytes += c.content().readableBytes();
            if (asyncListener != null && async.location().bodyTooLarge(bodyBytes)) {
                c.release();
                bodyTooLarge(before, bodyBytes - before);
                return;
            }
            if (asyncListener != null) {
                asyncListener.content(c); // the listener owns it now
            } else {
                c.release(); // answered before the body ended: the rest is discarded
            }
            return;
        }
        if (async != null || delayed != null) {
            queued.add(msg); // a pipelined request (or a delayed one's body) waits for the current one
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req && !conn.closing()) {
                dispatch(ctx, req);
            } else if (msg instanceof HttpContent c && c.decoderResult().isFailure() && !conn.closing()) {
                // a broken body (bad chunk) after the answer: the stream cannot be resynchronised
                conn.requestLog().info("client sent invalid chunked body, client: " + conn.remoteAddr());
                conn.markClosing();
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        conn.inRead(false);
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (asyncListener != null) {
            asyncListener.writabilityChanged(ctx.channel().isWritable()); // the taken-over exchange reads on demand
            ctx.fireChannelWritabilityChanged();
            return;
        }
        // back-pressure: a client that pipelines faster than it reads stops being read until the backlog drains
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            conn.requestLog().info(cause.getMessage() + " while processing request, client: " + conn.remoteAddr());
        } else {
            conn.requestLog().error("unexpected " + cause + ", client: " + conn.remoteAddr());
        }
        conn.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueued();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        ctx.fireChannelInactive();
    }

    private void releaseQueued() {
        Object m;
        while ((m = queued.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    /**
     * nginx's chunked body filter: a body over {@code client_max_body_size} is answered with 413 (the connection
     * then closes, lingering, since 413 never keeps it alive); the listener learns its body was cut off.
     */
    private void bodyTooLarge(long had, long piece) {
        Exchange ex = async;
        ExchangeListener l = asyncListener;
        bodyPending = false;
        ex.log().error("client intended to send too large chunked body: " + had + "+" + piece + " bytes"
                + ex.logContext());
        l.bodyRejected();
        if (async == ex) {
            ex.sendError(HttpError.forStatus(413));
        }
    }

    /**
     * A taken-over request's chunked body broke (RFC 9112 §7.1): the listener learns its body was cut off and,
     * unless it answered already, the client gets nginx's 400; the connection closes either way.
     */
    private void bodyInvalid() {
        bodyPending = false;
        conn.bodyTimer(null);
        conn.requestLog().info("client sent invalid chunked body, client: " + conn.remoteAddr());
        Exchange ex = async;
        if (ex != null && asyncListener != null) {
            asyncListener.bodyRejected();
            conn.markClosing();
            if (async == ex) {
                ex.sendError(HttpError.BAD_REQUEST);
                return;
            }
        }
        conn.close();
    }

    /** {@code client_body_timeout} expired: 408 (as ngx_http_read_client_request_body_handler) and close. */
    private void bodyTimedOut() {
        if (!bodyPending || !ctx.channel().isActive()) {
            return;
        }
        bodyPending = false;
        conn.requestLog().info("client timed out (110: Connection timed out) while reading client request body"
                + ", client: " + conn.remoteAddr());
        Exchange ex = async;
        boolean answered = false;
        if (ex != null && asyncListener != null) {
            asyncListener.bodyRejected();
            if (async == ex) {
                ex.sendError(BODY_TIMEOUT);
                ctx.flush();
                answered = true;
            }
        }
        if (!answered || conn.current().resetTimedoutConnection() || !ctx.channel().isActive()) {
            conn.closeTimedOut();
        } else {
            conn.markClosing(); // the 408's write closes it, lingering
        }
    }

    /** {@link Exchange#takeOver}: the body goes to {@code listener}; the client is read on demand. */
    void takeOver(Exchange ex, ExchangeListener listener) {
        async = ex;
        asyncListener = listener;
        bodyBytes = 0;
        bodyPending = !(ex.request() instanceof io.netty.handler.codec.http.FullHttpRequest) && !bodyEnded;
        conn.bodyTimer(bodyPending ? this::bodyTimedOut : null);
        ctx.channel().config().setAutoRead(false);
        if (!bodyEnded && io.netty.handler.codec.http.HttpUtil.is100ContinueExpected(ex.request())) {
            ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpResponseStatus.CONTINUE, ctx.alloc().buffer(0)));
        }
    }

    /** The taken-over exchange answered: queued pipelined requests run now, reading resumes. */
    void released(Exchange ex) {
        if (ex != async) {
            return;
        }
        async = null;
        asyncListener = null;
        if (!ctx.channel().isActive()) {
            releaseQueued();
            return;
        }
        ctx.channel().eventLoop().execute(this::drain);
    }

    private void drain() {
        boolean was = conn.inRead();
        conn.inRead(true);
        Object m;
        while (async == null && (m = queued.poll()) != null) {
            channelRead(ctx, m);
        }
        conn.inRead(was);
        ctx.flush();
        if (async == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.read();
        }
    }

    /** {@link Exchange#switchProtocols}: the codec leaves, {@code relay} gets raw bytes from now on. */
    void switchTo(Exchange ex, io.netty.channel.ChannelHandler relay) {
        async = ex;
        asyncListener = null;
        bodyPending = false;
        var p = ctx.pipeline();
        p.addAfter(ctx.name(), "relay", relay);
        p.remove("encoder");
        p.remove(this); // queued (pipelined) bytes after an upgrade request are not HTTP any more
        p.remove("decoder"); // bytes it still holds go to the relay
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest req) {
        bodyEnded = false;
        int number = conn.requestStarted();
        SelectionTable table = conn.table;
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure() && dr.cause() instanceof RequestHeadException bad) {
            conn.log().log(bad.error().logLevel(), bad.getMessage() + " " + bad.phase() + ", client: "
                    + conn.remoteAddr());
            new Exchange(ctx, conn, req, null, "", table.defaultServer(), number).sendError(bad.error());
            return;
        }
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            HttpError e = cause instanceof TooLongHttpLineException ? HttpError.URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpError.HEADER_TOO_LARGE : HttpError.BAD_REQUEST;
            fail(ctx, req, table.defaultServer(), number, e, "client sent invalid request");
            return;
        }
        if (req.protocolVersion().majorVersion() != 1) {
            fail(ctx, req, table.defaultServer(), number, HttpError.VERSION_NOT_SUPPORTED,
                    "client sent unsupported HTTP version");
            return;
        }
        // nginx parses the request line under the address's default server: its merge_slashes applies
        RequestTarget target = RequestTarget.parse(req.uri(), table.defaultServer().locations().serverLevel()
                .uri().mergeSlashes());
        if (target == null) {
            fail(ctx, req, table.defaultServer(), number, HttpError.BAD_REQUEST, "client sent invalid request");
            return;
        }
        String rawHost = target.host();
        if (rawHost == null) {
            List<String> hosts = req.headers().getAll(HttpHeaderNames.HOST);
            if (hosts.size() > 1) {
                fail(ctx, req, table.defaultServer(), number, HttpError.BAD_REQUEST, "client sent duplicate host header");
                return;
            }
            rawHost = hosts.isEmpty() ? null : hosts.getFirst();
        }
        String host;
        if (rawHost == null) {
            if (req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                fail(ctx, req, table.defaultServer(), number, HttpError.BAD_REQUEST,
                        "client sent HTTP/1.1 request without \"Host\" header");
                return;
            }
            host = "";
        } else {
            host = HostName.normalize(rawHost);
            if (host == null) {
                fail(ctx, req, table.defaultServer(), number, HttpError.BAD_REQUEST, "client sent invalid host header");
                return;
            }
        }
        Exchange ex = new Exchange(ctx, conn, req, target, host, table.find(host), number);
        run(ex);
    }

    private void fail(ChannelHandlerContext ctx, HttpRequest req, VirtualServer server, int number, HttpError e,
                      String why) {
        conn.log().log(e.logLevel(), why + " while reading client request line, client: "
                + conn.remoteAddr());
        new Exchange(ctx, conn, req, null, "", server, number).sendError(e);
    }

    /**
     * {@link Exchange#sendError} found an {@code error_page}: the request starts over at {@code target} (a URI or
     * {@code @name}). A taken-over exchange (a proxy's 502) is synchronous again until something takes it over.
     */
    void errorPage(Exchange ex, String target) {
        boolean wasAsync = async == ex;
        if (wasAsync) {
            async = null;
            asyncListener = null;
        }
        run(ex, new PhaseResult.InternalRedirect(target));
        if (wasAsync && async == null && ctx.channel().isActive()) {
            ctx.channel().eventLoop().execute(this::drain);
        }
    }

    private void run(Exchange ex) {
        run(ex, null);
    }

    /** Runs the phases from {@code r} on (null: from the start) until the request is answered or suspended. */
    private void run(Exchange ex, PhaseResult r) {
        while (true) {
            if (r == null) {
                r = phases(ex, null, true);
            }
            if (ex.location() != null) {
                conn.current(ex.location());
            }
            switch (r) {
                case PhaseResult.Done d -> {
                    return;
                }
                case PhaseResult.Fail f -> {
                    ex.sendError(f.error());
                    return;
                }
                case PhaseResult.Delay d -> {
                    suspend(ex, d.millis());
                    return;
                }
                case PhaseResult.Declined d -> {
                    ex.sendError(HttpError.NOT_FOUND);
                    return;
                }
                case PhaseResult.FindLocation f -> {
                    // ngx_http_core_post_rewrite_phase: a location's rewrite changed the URI, search again
                    if (ex.redirects++ == MAX_INTERNAL_REDIRECTS) {
                        ex.log().error("rewrite or internal redirection cycle while processing \"" + ex.uri() + "\""
                                + ex.logContext());
                        ex.sendError(HttpError.INTERNAL);
                        return;
                    }
                    r = phases(ex, null, false);
                    continue;
                }
                case PhaseResult.InternalRedirect ir -> {
                    if (ex.redirects++ == MAX_INTERNAL_REDIRECTS) {
                        ex.log().error("rewrite or internal redirection cycle while internally redirecting to \""
                                + ir.uri() + "\"" + ex.logContext());
                        ex.sendError(HttpError.INTERNAL);
                        return;
                    }
                    if (ir.uri().startsWith("@")) {
                        Location named = ex.server().locations().named(ir.uri());
                        if (named == null) {
                            ex.log().error("could not find named location \"" + ir.uri() + "\"" + ex.logContext());
                            ex.sendError(HttpError.INTERNAL);
                            return;
                        }
                        r = phases(ex, named, true);
                        conn.current(named);
                        continue;
                    }
                    ex.internalRedirect(ir.uri());
                }
            }
            r = null;
        }
    }

    /**
     * The phases for the request's URI, or for {@code named} (a named location skips the server's rewrites);
     * {@code serverRewrite} false after a location's rewrite changed the URI (nginx goes back to find-config only).
     */
    private static PhaseResult phases(Exchange ex, Location named, boolean serverRewrite) {
        if (named != null) {
            ex.location(named);
            PhaseResult r = runAll(named.rewriteHandlers(), ex);
            return r != PhaseResult.DECLINED ? r : afterRewrite(ex.location(), ex);
        }
        LocationTree tree = ex.server().locations();
        Location serverLevel = tree.serverLevel();
        ex.location(serverLevel);
        PhaseResult r = serverRewrite ? runAll(serverLevel.rewriteHandlers(), ex) : PhaseResult.DECLINED;
        if (r != PhaseResult.DECLINED && r != PhaseResult.FIND_LOCATION) {
            return r; // a changed URI from the server level is simply what the location search below sees
        }
        String[][] captures = new String[1][];
        Location loc = tree.find(ex.uri(), captures);
        ex.location(loc);
        ex.captures(captures[0]);
        if (captures[0] != null && !loc.captureNames().isEmpty()) {
            UserVariables.captures(ex, loc.captureNames(), captures[0]);
        }
        if (loc.core().internal() && !ex.isInternal()) {
            return new PhaseResult.Fail(HttpError.NOT_FOUND); // internal locations answer redirects only
        }
        long length = ex.isInternal() ? -1 : io.netty.handler.codec.http.HttpUtil.getContentLength(ex.request(), -1L);
        if (length > 0 && loc.bodyTooLarge(length)) {
            // ngx_http_core_find_config_phase: refused before a byte of the body is read; not again after an
            // internal redirect (nginx has discarded the body by then), so error_page 413 can answer
            ex.log().error("client intended to send too large body: " + length + " bytes" + ex.logContext());
            return new PhaseResult.Fail(HttpError.forStatus(413));
        }
        if (loc != serverLevel) {
            r = runAll(loc.rewriteHandlers(), ex);
            if (r != PhaseResult.DECLINED) {
                return r;
            }
        }
        // an if block of the location's rewrite phase may have made its implicit location the request's
        return afterRewrite(ex.location(), ex);
    }

    /** nginx's preaccess phase ({@code limit_req}, {@code limit_conn}), then the content phase. */
    private static PhaseResult afterRewrite(Location loc, Exchange ex) {
        PhaseResult r = runAll(loc.preaccessHandlers(), ex);
        return r != PhaseResult.DECLINED ? r : runAll(loc.contentHandlers(), ex);
    }

    /**
     * {@code limit_req}'s delay (ngx_http_limit_req_delay): nothing is read from the client while a timer on the
     * connection's own event loop runs; the request (a full one's body included) stays alive until it fires.
     */
    private void suspend(Exchange ex, long millis) {
        delayed = ex;
        ReferenceCountUtil.retain(ex.request());
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> resume(ex), millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * The delay is over: the preaccess phase runs again (its handlers decline what they did already) and the
     * request goes on. A client that left meanwhile is logged with 499, as nginx's ngx_http_test_reading does.
     */
    private void resume(Exchange ex) {
        delayed = null;
        try {
            if (!ctx.channel().isActive()) {
                ex.status(499);
                ex.logRequest();
                releaseQueued();
                return;
            }
            boolean was = conn.inRead();
            conn.inRead(true);
            run(ex, afterRewrite(ex.location(), ex));
            conn.inRead(was);
        } finally {
            ReferenceCountUtil.release(ex.request());
        }
        ctx.flush();
        redeliver();
    }

    /**
     * Hands what arrived during a delay on in order: the delayed request's body goes to whoever took it over (or is
     * dropped), pipelined requests run (each may take over or be delayed in turn, and is queued again then).
     */
    private void redeliver() {
        if (!ctx.channel().isActive()) {
            releaseQueued();
            return;
        }
        boolean was = conn.inRead();
        conn.inRead(true);
        java.util.List<Object> pending = new java.util.ArrayList<>(queued);
        queued.clear();
        for (Object m : pending) {
            channelRead(ctx, m);
        }
        conn.inRead(was);
        ctx.flush();
        if (async == null && delayed == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.read();
        }
    }

    private static PhaseResult runAll(PhaseHandler[] handlers, Exchange ex) {
        for (PhaseHandler h : handlers) {
            PhaseResult r = h.handle(ex);
            if (r != PhaseResult.DECLINED) {
                return r;
            }
        }
        return PhaseResult.DECLINED;
    }
}
