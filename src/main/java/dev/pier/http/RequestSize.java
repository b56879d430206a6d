package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * {@code $request_length}: the request line and headers as received plus the body. The head is measured from the
 * decoded request (the bytes a client sends for it, give or take optional whitespace); the body counts its declared
 * {@code Content-Length} (a chunked body's framing is not counted).
 */
final class RequestSize {
    private RequestSize() {
    }

    static long of(HttpRequest req) {
        long n = req.method().name().length() + 1 + req.uri().length() + 1
                + req.protocolVersion().text().length() + 2 + 2;
        for (var e : req.headers()) {
            n += e.getKey().length() + 2 + e.getValue().length() + 2;
        }
        String cl = req.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (cl != null) {
            try {
                n += Long.parseLong(cl.trim());
            } catch (NumberFormatException ignored) {
                // the decoder refused such a request already
            }
        }
        return n;
    }
}
