package dev.pier.http;

/**
 * Why a request head was refused before Netty's decoder saw it, carried as a {@link io.netty.handler.codec.DecoderResult}
 * failure: the error to answer and nginx's log text ({@code client sent ...}) with the phase it happened in.
 */
final class RequestHeadException extends Exception {
    private final HttpError error;
    private final boolean inHeaders;

    RequestHeadException(HttpError error, String message, boolean inHeaders) {
        super(message, null, false, false);
        this.error = error;
        this.inHeaders = inHeaders;
    }

    HttpError error() {
        return error;
    }

    /** nginx's log context: {@code while reading client request headers} or {@code ... request line}. */
    String phase() {
        return inHeaders ? "while reading client request headers" : "while reading client request line";
    }
}
