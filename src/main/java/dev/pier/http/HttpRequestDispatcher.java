package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * The connection's inbound handler: each decoded request becomes an {@link Exchange} ({@link RequestStart}) and runs
 * nginx's {@link Phases}. Responses are written in request order and flushed once per read batch, so pipelined
 * requests share a flush; while an exchange is taken over ({@link TakenOver}) or delayed by {@code limit_req}, later
 * requests wait in a queue and the client is not read.
 */
final class HttpRequestDispatcher extends ChannelInboundHandlerAdapter {
    private final HttpConnection conn;
    /** The taken-over exchange and its body; messages for later requests wait in {@link #queued} meanwhile. */
    private TakenOver taken;
    private final java.util.ArrayDeque<Object> queued = new java.util.ArrayDeque<>(1); // grows for pipelining only
    /** An exchange waiting out a {@link PhaseResult.Delay} ({@code limit_req}); later messages wait in queued. */
    private Exchange delayed;
    private ChannelHandlerContext ctx;

    /** One per connection: answered here, not by Netty's per-class cache lookup on every {@code addLast}. */
    @Override
    public boolean isSharable() {
        return false;
    }

    /** The connection this dispatcher serves. */
    HttpConnection connection() {
        return conn;
    }

    HttpRequestDispatcher(HttpConnection conn) {
        this.conn = conn;
    }

    /** Runs once the connection is registered on its event loop (Netty defers it until then): its clock starts. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.taken = new TakenOver(conn, ctx);
        conn.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        conn.inRead(true);
        if (taken.bodyPending() && msg instanceof HttpContent c && !(msg instanceof HttpRequest)) {
            taken.content(c);
            return;
        }
        if (taken.exchange() != null || delayed != null) {
            queued.add(msg); // a pipelined request (or a delayed one's body) waits for the current one
            ctx.channel().config().setAutoRead(false); // and nothing more is read until it runs
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req && !conn.closing()) {
                taken.requestStarted();
                Exchange ex = RequestStart.exchange(ctx, conn, req);
                if (ex != null) {
                    run(ex, null);
                }
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
        // the taken-over exchange reads on demand; otherwise, back-pressure: a client that pipelines faster than it
        // reads stops being read until the backlog drains
        if (!taken.writabilityChanged(ctx.channel().isWritable())) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
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
        conn.written.closed(); // responses written without a promise that never went out
        ctx.fireChannelInactive();
    }

    private void releaseQueued() {
        Object m;
        while ((m = queued.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    /** {@link Exchange#takeOver}: the body goes to {@code listener}; the client is read on demand. */
    void takeOver(Exchange ex, ExchangeListener listener) {
        taken.start(ex, listener);
    }

    /** The taken-over exchange answered: queued pipelined requests run now, reading resumes. */
    void released(Exchange ex) {
        if (!taken.release(ex)) {
            return;
        }
        if (!ctx.channel().isActive()) {
            releaseQueued();
            return;
        }
        if (queued.isEmpty() && ctx.channel().config().isAutoRead()) {
            return; // a request without a body: nothing waited, reading never stopped
        }
        ctx.channel().eventLoop().execute(this::drain);
    }

    private void drain() {
        boolean was = conn.inRead();
        conn.inRead(true);
        Object m;
        while ((taken.exchange() == null || bodyQueued()) && (m = queued.poll()) != null) {
            channelRead(ctx, m); // a queued request taken over in turn gets its queued body too
        }
        conn.inRead(was);
        ctx.flush();
        if (taken.exchange() == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.read();
        }
    }

    /** The next queued message is a piece of the taken-over request's body. */
    private boolean bodyQueued() {
        return taken.bodyPending() && queued.peek() instanceof HttpContent && !(queued.peek() instanceof HttpRequest);
    }

    /** {@link Exchange#switchProtocols}: the codec leaves, {@code relay} gets raw bytes from now on. */
    void switchTo(Exchange ex, io.netty.channel.ChannelHandler relay) {
        taken.switchProtocols(ex);
        var p = ctx.pipeline();
        p.addAfter(ctx.name(), "relay", relay);
        ((ResponseEncoder) p.get("encoder")).relayRaw(); // stays, for send_timeout: the relay's bytes pass as they are
        p.remove(this); // queued (pipelined) bytes after an upgrade request are not HTTP any more
        p.remove("decoder"); // bytes it still holds go to the relay
    }

    /**
     * {@link Exchange#sendError} found an {@code error_page}: the request starts over at {@code target} (a URI or
     * {@code @name}). A taken-over exchange (a proxy's 502) is synchronous again until something takes it over.
     */
    void errorPage(Exchange ex, String target) {
        boolean wasAsync = taken.release(ex);
        run(ex, new PhaseResult.InternalRedirect(target));
        if (wasAsync && taken.exchange() == null && ctx.channel().isActive()) {
            ctx.channel().eventLoop().execute(this::drain);
        }
    }

    /** The phases from {@code from} on (null: from the start); a {@code limit_req} delay suspends the request. */
    private void run(Exchange ex, PhaseResult from) {
        PhaseResult.Delay d = Phases.run(conn, ex, from);
        if (d != null) {
            suspend(ex, d.millis());
        }
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
            run(ex, Phases.afterRewrite(ex.location(), ex));
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
        if (taken.exchange() == null && delayed == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.read();
        }
    }
}
