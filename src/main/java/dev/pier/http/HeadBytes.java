package dev.pier.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * The pieces {@link FullHead} and {@link StreamHead} write a response head from ({@link HeadScratch}): status lines
 * and Pier's own header lines as bytes, each line after the first starting with its CRLF.
 */
final class HeadBytes {
    static final byte[] SERVER = bytes("Server: ");
    static final byte[] DATE = bytes("\r\nDate: ");
    static final byte[] CONTENT_TYPE = bytes("\r\nContent-Type: ");
    static final byte[] CONTENT_LENGTH = bytes("\r\nContent-Length: ");
    static final byte[] LAST_MODIFIED = bytes("\r\nLast-Modified: ");
    static final byte[] LOCATION = bytes("\r\nLocation: ");
    static final byte[] CHUNKED = bytes("\r\nTransfer-Encoding: chunked");
    static final byte[] KEEP_ALIVE = bytes("\r\nConnection: keep-alive");
    static final byte[] CLOSE = bytes("\r\nConnection: close");
    static final byte[] KEEP_ALIVE_TIMEOUT = bytes("\r\nKeep-Alive: ");
    static final byte[] END = bytes("\r\n\r\n");
    static final byte[] HTTP_1_1 = bytes("HTTP/1.1 ");
    private static final byte[][] STATUS_LINES = new byte[1000][];

    static {
        for (int code = 100; code < 1000; code++) {
            HttpResponseStatus s = Statuses.of(code);
            STATUS_LINES[code] = bytes("HTTP/1.1 " + s.codeAsText() + " " + s.reasonPhrase() + "\r\n");
        }
    }

    private HeadBytes() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code HTTP/1.1}, the code and its nginx reason phrase ({@link Statuses}), CRLF; {@code code} is 100..999. */
    static byte[] statusLine(int code) {
        return STATUS_LINES[code];
    }
}
