package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaders;

/** The encoded size of a response head, for {@code $bytes_sent}: what Netty's encoder writes for it. */
final class ResponseSize {
    private ResponseSize() {
    }

    static long head(int status, HttpHeaders headers) {
        if (headers == null) {
            return 0;
        }
        // "HTTP/1.1 " + code + " " + reason + CRLF, each "name: value" + CRLF, then CRLF
        long n = 9 + 3 + 1 + Statuses.of(status).reasonPhrase().length() + 2 + 2;
        for (var e : headers) {
            n += e.getKey().length() + 2 + e.getValue().length() + 2;
        }
        return n;
    }
}
