package dev.pier.http.gzip;

import dev.pier.config.bind.GzipConf;
import dev.pier.http.Exchange;
import dev.pier.http.HeaderFilter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.util.Locale;

/**
 * nginx's gzip header filter. A response is compressed only if it is 200, 403 or 404, has no Content-Encoding, is
 * not known to be shorter than {@code gzip_min_length}, has one of {@code gzip_types}, is not a HEAD answer, and
 * {@link GzipCheck} lets this client have gzip. From the type test on, {@code gzip_vary} adds
 * {@code Vary: Accept-Encoding} whatever the client accepts (a cache must know the answer depends on it). A
 * compressed response loses Content-Length and Accept-Ranges, its ETag becomes weak (RFC 9110 8.8.3: the bytes
 * differ), and it is chunked for HTTP/1.1, close-delimited for HTTP/1.0 ({@code Connection: close}).
 */
final class GzipHeaderFilter implements HeaderFilter {
    // nginx's spelling; names are case-insensitive (RFC 9110 5.1)
    static final AsciiString CONTENT_ENCODING = AsciiString.cached("Content-Encoding");
    static final AsciiString VARY = AsciiString.cached("Vary");
    static final AsciiString ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");
    static final AsciiString GZIP = AsciiString.cached("gzip");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString ACCEPT_RANGES = AsciiString.cached("Accept-Ranges");
    private static final AsciiString ETAG = AsciiString.cached("ETag");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("Keep-Alive");

    private final GzipConf conf;

    GzipHeaderFilter(GzipConf conf) {
        this.conf = conf;
    }

    @Override
    public void filter(Exchange ex, int status, HttpHeaders h) {
        if (status != 200 && status != 403 && status != 404 || ex.isHead()) {
            return;
        }
        String ce = h.get(CONTENT_ENCODING);
        if (ce != null && !ce.isEmpty()) {
            return;
        }
        String length = h.get(CONTENT_LENGTH);
        if (length != null && conf.minLength() > 0) {
            try {
                if (Long.parseLong(length.trim()) < conf.minLength()) {
                    return;
                }
            } catch (NumberFormatException ignored) {
                // not a length nginx would have parsed either: treated as unknown
            }
        }
        // "gzip_types *" matches a response without Content-Type too, as nginx's ngx_http_test_content_type
        String type = mime(h.get(CONTENT_TYPE));
        if (!conf.anyType() && (type == null || !conf.typeMatches(type))) {
            return;
        }
        if (conf.vary()) {
            vary(h);
        }
        if (!GzipCheck.ok(ex.request(), conf, h)) {
            return;
        }
        h.set(CONTENT_ENCODING, GZIP);
        h.remove(CONTENT_LENGTH);
        h.remove(ACCEPT_RANGES);
        weakenEtag(h);
        if (ex.request().protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            if (!h.containsValue(TRANSFER_ENCODING, CHUNKED, true)) {
                h.set(TRANSFER_ENCODING, CHUNKED);
            }
        } else {
            h.set(CONNECTION, CLOSE); // the end of the connection ends the body; the writer closes it
            h.remove(KEEP_ALIVE);
        }
        GzipPipeline.arm(ex.channel(), conf.compLevel());
    }

    /** Adds {@code Vary: Accept-Encoding} unless a Vary line already names it. */
    static void vary(HttpHeaders h) {
        for (String v : h.getAll(VARY)) {
            for (String part : v.split(",")) {
                if (part.trim().equalsIgnoreCase("Accept-Encoding") || part.trim().equals("*")) {
                    return;
                }
            }
        }
        h.add(VARY, ACCEPT_ENCODING);
    }

    /** nginx's {@code ngx_http_weak_etag}: {@code "x"} becomes {@code W/"x"}, a weak one stays, junk is dropped. */
    private static void weakenEtag(HttpHeaders h) {
        String etag = h.get(ETAG);
        if (etag == null || etag.startsWith("W/")) {
            return;
        }
        if (etag.startsWith("\"")) {
            h.set(ETAG, "W/" + etag);
        } else {
            h.remove(ETAG);
        }
    }

    /** The media type without parameters, lowercased; null when absent. */
    static String mime(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return t.isEmpty() ? null : t.toLowerCase(Locale.ROOT);
    }
}
