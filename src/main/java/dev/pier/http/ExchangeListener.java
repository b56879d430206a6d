package dev.pier.http;

import io.netty.handler.codec.http.HttpContent;

/**
 * A content handler that answers later (a proxy, a gateway) takes over its {@link Exchange} with
 * {@link Exchange#takeOver}: from then on the request body's pieces come here instead of being discarded, reading the
 * client is the handler's business (auto-read is off, call {@code ex.channel().read()}), further pipelined requests
 * wait until {@link Exchange#finishResponse} or {@link Exchange#abort}, and the client's writability is reported
 * here. Runs on the connection's event loop.
 */
public interface ExchangeListener {

    /** One piece of the request body, a {@code LastHttpContent} last. The listener owns (must release) it. */
    void content(HttpContent piece);

    /**
     * The request body went over {@code client_max_body_size} while arriving (chunked): no more pieces come, and
     * the exchange is answered with 413 right after this returns unless the listener answers it here.
     */
    default void bodyRejected() {
    }

    /** The client connection became writable or unwritable (back-pressure for the response). */
    default void writabilityChanged(boolean writable) {
    }
}
