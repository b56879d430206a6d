package dev.pier.http.proxy;

import dev.pier.http.HeadLines;
import dev.pier.http.StreamHeadMemo;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * A backend's response head as {@link ResponseHeadParser} read it, with what the parser saw on the way: whether a
 * line frames the body (and how), what a single {@code Connection} line says, and whether any {@code X-Accel-*}
 * line is there.
 * The proxy asks these of every response; answering from the parse spares a lookup in the header map each. The
 * static methods answer for any response, so one that Netty's decoder read (not this class) is looked up as before.
 * The answers hold as long as the header map is only read: the decoder, which drops {@code Transfer-Encoding} from a
 * head whose body never comes, says so with {@link #unchunk}.
 *
 * <p>The header map is built from the parsed lines the first time something asks for it ({@link HeadLines}): a
 * response passed on to the client is written from the lines, and the map of a few lines was about a sixth of what a
 * proxied request allocated.
 */
final class ParsedResponse extends DefaultHttpResponse implements HeadLines {
    /** No {@code Connection} line. */
    static final byte CONNECTION_NONE = 0;
    /** One {@code Connection: keep-alive} line. */
    static final byte CONNECTION_KEEP_ALIVE = 1;
    /** One {@code Connection: close} line. */
    static final byte CONNECTION_CLOSE = 2;
    /** Anything else: more lines, or another value; the header map answers. */
    static final byte CONNECTION_OTHER = 3;

    /** Name and value of each line, in order, until the map is built from them. */
    private CharSequence[] lines;
    private HttpHeaders headers;
    private final long contentLength;
    private boolean chunked;
    private final byte connection;
    private final boolean accel;
    private final StreamHeadMemo memo;

    /**
     * {@code lines} holds each header line's name and value in turn, in order; the parse checked them, so the map
     * built from them does not validate them again. {@code memo} keeps the head written to the client from them.
     */
    ParsedResponse(HttpVersion version, HttpResponseStatus status, CharSequence[] lines, long contentLength,
                   boolean chunked, byte connection, boolean accel, StreamHeadMemo memo) {
        super(version, status, EmptyHttpHeaders.INSTANCE); // not used: headers() builds the real map
        this.lines = lines;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.connection = connection;
        this.accel = accel;
        this.memo = memo;
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

    @Override
    public StreamHeadMemo memo() {
        return lines != null ? memo : null;
    }

    /** The head's {@code Content-Length}, or -1 without one. */
    long contentLength() {
        return contentLength;
    }

    /** The head's framing is {@code Transfer-Encoding: chunked}. */
    boolean chunked() {
        return chunked;
    }

    /** The decoder removed the {@code Transfer-Encoding} line. */
    void unchunk() {
        chunked = false;
    }

    /** Neither {@code Content-Length} nor {@code Transfer-Encoding: chunked}: the body ends when the backend closes. */
    static boolean closeDelimited(HttpResponse res) {
        if (res instanceof ParsedResponse p) {
            return p.contentLength < 0 && !p.chunked;
        }
        return !HttpUtil.isContentLengthSet(res) && !HttpUtil.isTransferEncodingChunked(res);
    }

    /** {@link HttpUtil#isKeepAlive}: the backend keeps the connection open after this response. */
    static boolean keepAlive(HttpResponse res) {
        if (res instanceof ParsedResponse p) {
            switch (p.connection) {
                case CONNECTION_NONE -> {
                    return p.protocolVersion().isKeepAliveDefault();
                }
                case CONNECTION_KEEP_ALIVE -> {
                    return true;
                }
                case CONNECTION_CLOSE -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return HttpUtil.isKeepAlive(res);
    }

    /** The value of the {@code X-Accel-*} header {@code name}, or null. */
    static String accel(HttpResponse res, AsciiString name) {
        if (res instanceof ParsedResponse p && !p.accel) {
            return null;
        }
        return res.headers().get(name);
    }
}
