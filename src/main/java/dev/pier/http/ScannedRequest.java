package dev.pier.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * A client's request head as {@link RequestHeadScanner} checked it, with its body's framing as the scan found it: the
 * {@code Content-Length} (-1 without one) or {@code Transfer-Encoding: chunked}. The scan refuses every other
 * framing (two lengths, both headers, another coding), and a request's header map is not changed after it, so these
 * are what the map says, without the lookups (and Netty's check for a pre-RFC 6455 WebSocket handshake that
 * {@code HttpUtil.getContentLength} makes when there is no length: such a request has no body to Pier either). The
 * static methods answer for any request, so one Pier built itself (an error's stand-in, a subrequest) is looked up.
 *
 * <p>The header map is built from the scanned lines the first time something asks for it: many requests are
 * answered without a look at it ({@code return}, a location's fixed answer), and building it was about a quarter of
 * what a {@code return 200} request allocated.
 */
public final class ScannedRequest extends DefaultHttpRequest implements HeadLines {
    /** Name and value of each kept line, in order, until the map is built from them. */
    private CharSequence[] lines;
    private HttpHeaders headers;
    private final long contentLength;
    private final boolean chunked;
    /** The head has an {@code Expect} line: without one, its test needs no lookup. */
    private final boolean expect;
    /** The {@code Host} line's value (the scan refuses a second one); null without one. */
    private final String host;
    /** The head has several {@code Connection} lines: only the map has them all. */
    private final boolean connections;
    /** The value of the one {@code Connection} line; null without one (or with several). */
    private final String connection;

    /**
     * {@code lines} holds each kept header line's name and value in turn, in order. The scan checked them with
     * nginx's rules, so the map does not validate them again.
     */
    ScannedRequest(HttpVersion version, HttpMethod method, String uri, CharSequence[] lines, long contentLength,
                   boolean chunked, boolean expect, String host, boolean connections, String connection) {
        super(version, method, uri, EmptyHttpHeaders.INSTANCE); // not used: headers() builds the real map
        this.lines = lines;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.expect = expect;
        this.host = host;
        this.connections = connections;
        this.connection = connection;
    }

    @Override
    public HttpHeaders headers() {
        if (headers == null) {
            headers = HeadLines.map(lines);
            lines = null;
        }
        return headers;
    }

    @Override
    public CharSequence[] lines() {
        return lines;
    }

    /** The {@code Host} header's value, or null without one. */
    public static String host(HttpRequest req) {
        return req instanceof ScannedRequest s ? s.host : req.headers().get(HttpHeaderNames.HOST);
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

    /**
     * The client wants the connection kept: its version's default, or what its {@code Connection} line says
     * ({@link HttpUtil#isKeepAlive}: a {@code close} token says no; else HTTP/1.1, or a {@code keep-alive} token).
     */
    public static boolean keepAlive(HttpRequest req) {
        if (!(req instanceof ScannedRequest s) || s.connections) {
            return HttpUtil.isKeepAlive(req);
        }
        if (s.connection == null) {
            return req.protocolVersion().isKeepAliveDefault();
        }
        return !hasToken(s.connection, "close")
                && (req.protocolVersion().isKeepAliveDefault() || hasToken(s.connection, "keep-alive"));
    }

    /**
     * {@code value}'s comma-separated parts include {@code token}: each part without the characters up to space
     * around it, ASCII letters compared without case (the test Netty's {@code containsValue(name, value, true)}
     * makes).
     */
    static boolean hasToken(String value, String token) {
        int from = 0;
        while (true) {
            int comma = value.indexOf(',', from);
            int end = comma < 0 ? value.length() : comma;
            int b = from;
            int e = end;
            while (b < e && value.charAt(b) <= ' ') {
                b++;
            }
            while (e > b && value.charAt(e - 1) <= ' ') {
                e--;
            }
            if (e - b == token.length() && AsciiString.regionMatchesAscii(value, true, b, token, 0, e - b)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
    }
}
