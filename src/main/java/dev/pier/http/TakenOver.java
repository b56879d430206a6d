package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The exchange a module took over ({@link Exchange#takeOver}: the proxy) while it answers asynchronously, and that
 * request's body still arriving: each piece goes to the listener, checked against {@code client_max_body_size} (413)
 * and {@code client_body_timeout} (408); a broken chunked body ends the connection. One per connection, reused by
 * every request on it; the {@link HttpRequestDispatcher} queues later requests while {@link #exchange} is set.
 */
final class TakenOver {
    /** nginx's 408 after {@code client_body_timeout}; the request stream is broken, so the connection closes. */
    private static final HttpError BODY_TIMEOUT = new HttpError(408, "Request Time-out", false,
            dev.pier.config.bind.LogLevel.INFO);

    private final HttpConnection conn;
    private final ChannelHandlerContext ctx;
    /** The taken-over exchange still answering, or null. */
    private Exchange exchange;
    private ExchangeListener listener;
    /** The taken-over request's body is still arriving (it goes to the listener, or is dropped once released). */
    private boolean bodyPending;
    /**
     * The current request's body has ended (its last piece was read): a later {@link #start} (an internal redirect
     * after a proxy read it) must not wait for it again, nor send 100 Continue for it.
     */
    private boolean bodyEnded;
    /** Bytes of the taken-over request's body so far, for {@code client_max_body_size} on chunked bodies. */
    private long bodyBytes;

    TakenOver(HttpConnection conn, ChannelHandlerContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
    }

    /** The exchange still answering asynchronously, or null. */
    Exchange exchange() {
        return exchange;
    }

    boolean bodyPending() {
        return bodyPending;
    }

    /** A new request head arrived: its body, if any, is still to come. */
    void requestStarted() {
        bodyEnded = false;
    }

    /** {@link Exchange#takeOver}: the body goes to {@code listener}; the client is read on demand. */
    void start(Exchange ex, ExchangeListener l) {
        exchange = ex;
        listener = l;
        bodyBytes = 0;
        bodyPending = !(ex.request() instanceof FullHttpRequest) && !bodyEnded;
        conn.bodyTimer(bodyPending ? this::bodyTimedOut : null);
        if (bodyPending && ScannedRequest.hasBody(ex.request())) {
            ctx.channel().config().setAutoRead(false); // the listener reads the body at its own pace
        }
        // a request without a body keeps the client read: its close is seen at once, and a pipelined request stops
        // reading when it is queued (HttpRequestDispatcher). Turning reading off and on again would cost two
        // epoll_ctl calls per proxied request.
        if (!bodyEnded && ScannedRequest.expectsContinue(ex.request())) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    ctx.alloc().buffer(0)));
        }
    }

    /** {@link Exchange#switchProtocols}: {@code ex} stays current for good, with no listener and no body. */
    void switchProtocols(Exchange ex) {
        exchange = ex;
        listener = null;
        bodyPending = false;
    }

    /** {@code ex} answered (or starts over at an error page): true if it was the taken-over one, now forgotten. */
    boolean release(Exchange ex) {
        if (ex != exchange) {
            return false;
        }
        exchange = null;
        listener = null;
        return true;
    }

    /** Tells the listener whether the client accepts more; false when there is none (nobody reads on demand). */
    boolean writabilityChanged(boolean writable) {
        if (listener == null) {
            return false;
        }
        listener.writabilityChanged(writable);
        return true;
    }

    /** One piece of the pending body: to the listener (which owns it then), or released. */
    void content(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            c.release();
            bodyInvalid();
            return;
        }
        bodyPending = !(c instanceof LastHttpContent);
        bodyEnded = !bodyPending;
        conn.bodyTimer(bodyPending ? this::bodyTimedOut : null);
        long before = bodyBytes;
        bodyBytes += c.content().readableBytes();
        if (listener != null && exchange.location().bodyTooLarge(bodyBytes)) {
            c.release();
            bodyTooLarge(before, bodyBytes - before);
            return;
        }
        if (listener != null) {
            listener.content(c); // the listener owns it now
        } else {
            c.release(); // answered before the body ended: the rest is discarded
        }
    }

    /**
     * nginx's chunked body filter: a body over {@code client_max_body_size} is answered with 413 (the connection
     * then closes, lingering, since 413 never keeps it alive); the listener learns its body was cut off.
     */
    private void bodyTooLarge(long had, long piece) {
        Exchange ex = exchange;
        ExchangeListener l = listener;
        bodyPending = false;
        ex.log().error("client intended to send too large chunked body: " + had + "+" + piece + " bytes"
                + ex.logContext());
        l.bodyRejected();
        if (exchange == ex) {
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
        Exchange ex = exchange;
        if (ex != null && listener != null) {
            listener.bodyRejected();
            conn.markClosing();
            if (exchange == ex) {
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
        Exchange ex = exchange;
        boolean answered = false;
        if (ex != null && listener != null) {
            listener.bodyRejected();
            if (exchange == ex) {
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
}
