package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.HttpError;
import dev.pier.http.proxy.ProxyRequest.Phase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;

/**
 * A {@link ProxyRequest}'s way to the backend ({@code ngx_http_upstream_send_request}): the client's body as it
 * arrives (into the temp file when read whole, else queued), the request head with the body's framing, then the
 * body one piece at a time, the next piece (or client read) only once the previous write completed, under
 * {@code proxy_send_timeout}. A backend that answers before the body is all sent is relayed, and the rest of the
 * body dropped.
 */
final class RequestSender {
    private RequestSender() {
    }

    /** One piece of the client's body. */
    static void content(ProxyRequest r, HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            piece.release();
            r.ex.abort();
            RequestEnd.closeUpstream(r);
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        if (!r.hasBody || r.phase == Phase.DONE || r.earlyResponse) {
            piece.release();
            r.bodyComplete |= last;
            if (!last && r.phase != Phase.DONE) {
                r.client.read(); // after an early response too: a client that sends before it reads must not stall
            }
            return;
        }
        if (last) {
            r.bodyComplete = true;
        }
        if (r.bufferWholeBody) {
            try {
                r.body.spool(piece.content().retain());
            } catch (java.io.IOException e) {
                piece.release();
                r.ex.log().crit("write() to a temp file in \"" + r.loc.bodyTemp.clientBodyTempPath() + "\" failed ("
                        + Errno.describe(e) + ")" + r.ex.logContext());
                RequestEnd.finish(r, false);
                r.ex.sendError(HttpError.forStatus(500));
                return;
            }
            piece.release();
            if (last) {
                r.begin();
            } else {
                r.client.read();
            }
            return;
        }
        r.body.offer(piece);
        sendBody(r);
    }

    static void sendHead(ProxyRequest r) {
        r.phase = Phase.SENDING;
        CharSequence framing = null;
        CharSequence length = null;
        if (r.chunkedUpstream) {
            framing = HttpHeaderNames.TRANSFER_ENCODING;
            length = HttpHeaderValues.CHUNKED;
        } else if (r.hasBody) {
            framing = HttpHeaderNames.CONTENT_LENGTH;
            length = r.bufferWholeBody ? Long.toString(r.body.size())
                    : r.ex.request().headers().get(HttpHeaderNames.CONTENT_LENGTH);
        }
        ByteBuf head = r.loc.requestHead.encode(r.ex, r.uri, framing, length, r.conn.channel().alloc());
        ResponseDecoder.of(r.conn.channel()).expect(HttpMethod.HEAD.equals(r.ex.method()));
        r.conn.requestSent();
        if (r.loc.requestHead.mayUpgrade() && r.ex.request().headers().contains(HttpHeaderNames.UPGRADE)) {
            r.vars.upgradeRequested = true;
        }
        r.bodyWriting = true;
        r.armTimer(r.loc.conf.sendTimeout().toMillis(), "sending request to upstream");
        ChannelFuture written = r.conn.channel().writeAndFlush(head); // without a body, the whole request
        if (written.isDone()) {
            headWritten(r, written); // as a listener added now would run, without one (the socket took it all)
        } else {
            written.addListener(f -> headWritten(r, f));
        }
    }

    private static void headWritten(ProxyRequest r, Future<?> f) {
        r.bodyWriting = false;
        if (!f.isSuccess()) {
            writeFailed(r, f.cause());
            return;
        }
        if (!r.hasBody) {
            requestSent(r);
        } else {
            watchEarlyResponse(r);
            sendBody(r);
        }
    }

    /**
     * While a body goes out, the backend is read too (without a timer: proxy_send_timeout runs), so an answer
     * that comes before the body ends (a 413, a 401) is seen and relayed instead of waiting for a stalled send.
     */
    static void watchEarlyResponse(ProxyRequest r) {
        if (r.phase == Phase.SENDING && !r.backendReading && r.conn != null) {
            r.backendReading = true;
            r.conn.channel().read();
        }
    }

    private static void sendBody(ProxyRequest r) {
        if (r.phase != Phase.SENDING || r.bodyWriting) {
            return;
        }
        HttpContent piece;
        try {
            piece = r.body.next();
        } catch (java.io.IOException e) {
            UpstreamTries.error(r, null, "read() from a temp file failed (" + Errno.describe(e) + ")",
                    "sending request to upstream", false);
            return;
        }
        if (piece == null) {
            if (!r.bodyComplete) {
                r.client.read();
            }
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        r.bodyWriting = true;
        r.armTimer(r.loc.conf.sendTimeout().toMillis(), "sending request to upstream");
        RequestFraming.write(r.conn.channel(), piece, r.chunkedUpstream).addListener(f -> {
            r.bodyWriting = false;
            if (!f.isSuccess()) {
                writeFailed(r, f.cause());
            } else if (last) {
                requestSent(r);
            } else {
                sendBody(r);
            }
        });
    }

    private static void writeFailed(ProxyRequest r, Throwable cause) {
        if (r.phase == Phase.SENDING) {
            UpstreamTries.error(r, NextUpstream.ERROR, "send() failed (" + Errno.describe(cause) + ")",
                    "sending request to upstream", false);
        }
    }

    private static void requestSent(ProxyRequest r) {
        r.bodySent = true;
        r.phase = Phase.READING_HEADER;
        BodyRelay.readBackend(r);
    }

    /**
     * The backend answered before the request body was all sent (nginx relays such an answer too): the rest of the
     * body is not sent, and since the backend's view of the request is incomplete its connection is closed after
     * the response, never reused. What the client still sends is read and dropped, as nginx discards it, so a
     * client that sends its whole body before reading cannot stall the answer.
     */
    static void earlyResponse(ProxyRequest r) {
        r.cancelTimer();
        r.phase = Phase.READING_HEADER;
        if (!r.hasBody || r.bodySent) {
            return;
        }
        r.earlyResponse = true;
        r.body.dropPending();
        if (!r.bodyComplete) {
            r.client.read(); // the rest of the body is read and dropped while the answer is relayed
        }
        r.ex.log().info("upstream sent response while the request body was being sent" + r.context());
    }

    /** Re-queues the kept body for the next try. */
    static void resetBody(ProxyRequest r) {
        r.bodySent = false;
        r.earlyResponse = false; // the next server gets the whole body again
        if (r.hasBody) {
            r.body.rewind(r.bodyComplete);
        } else {
            r.body.dropPending();
        }
    }
}
