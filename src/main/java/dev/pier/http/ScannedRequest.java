package dev.pier.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A client's request head as {@link RequestHeadScanner} checked it, with its body's framing as the scan found it: the
 * {@code Content-Length} (-1 without one) or {@code Transfer-Encoding: chunked}. The scan refuses every other
 * framing (two lengths, both headers, another coding), and a request's header map is not changed after it, so these
 * are what the map says, without the lookups (and Netty's check for a pre-RFC 6455 WebSocket handshake that
 * {@code HttpUtil.getContentLength} makes when there is no length: such a request has no body to Pier either). The
 * static methods answer for any request, so one Pier built itself (an error's stand-in, a subrequest) is looked up.
 */
public final class ScannedRequest extends DefaultHttpRequest {
    private final long contentLength;
    private final boolean chunked;
    /** The head has an {@code Expect} line; a {@code Connection} line. Without one, its test needs no lookup. */
    private final boolean expect;
    private final boolean connection;

    ScannedRequest(HttpVersion version, HttpMethod method, String uri, HttpHeaders headers, long contentLength,
                   boolean chunked, boolean expect, boolean connection) {
        super(version, method, uri, headers);
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.expect = expect;
        this.connection = connection;
    }

    /** The body's {@code Content-Length}, or -1 when the head gives none. */
    public static long contentLength(HttpRequest req) {
        return req instanceof ScannedRequest s ? s.contentLength : HttpUtil.getContentLength(req, -1L);
    }

    /** The body comes in chunks ({@code Transfer-Encoding: chunked}). */
    public static boolean chunked(HttpRequest req) {
        return req instanceof ScannedRequest s ? s.chunked : HttpUtil.isTransferEncodingChunked(req);
    }

    /** A body follows the head: chunked, or a length above zero. */
    public static boolean hasBody(HttpRequest req) {
        return chunked(req) || contentLength(req) > 0;
    }

    /** {@code Expect: 100-continue} on HTTP/1.1 ({@link HttpUtil#is100ContinueExpected}). */
    public static boolean expectsContinue(HttpRequest req) {
        return !(req instanceof ScannedRequest s && !s.expect) && HttpUtil.is100ContinueExpected(req);
    }

    /** The client wants the connection kept: its version's default, or what its {@code Connection} line says. */
    public static boolean keepAlive(HttpRequest req) {
        return req instanceof ScannedRequest s && !s.connection ? req.protocolVersion().isKeepAliveDefault()
                : HttpUtil.isKeepAlive(req);
    }
}
