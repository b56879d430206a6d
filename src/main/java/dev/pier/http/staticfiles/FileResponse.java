package dev.pier.http.staticfiles;

import dev.pier.config.bind.StaticConf;
import dev.pier.http.DateCache;
import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseResult;
import dev.pier.http.Statuses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

import java.nio.channels.FileChannel;
import java.util.Date;

/**
 * A static file's answer after nginx's not-modified and range filters: {@code ETag} ({@code "mtime-size"} in hex),
 * {@code If-Match}/{@code If-Unmodified-Since} → 412, {@code If-None-Match}/{@code If-Modified-Since} → 304
 * ({@code if_modified_since}), {@code Range} with {@code If-Range} → 206 or 416, {@code Accept-Ranges}, and
 * {@code expires}. Several ranges are answered with {@code multipart/byteranges} ({@link ByteRanges}).
 */
public final class FileResponse {
    // nginx's spelling (names are case-insensitive, RFC 9110 5.1, but operators grep for these)
    private static final AsciiString ETAG = AsciiString.cached("ETag");
    private static final AsciiString CONTENT_RANGE = AsciiString.cached("Content-Range");
    private static final AsciiString ACCEPT_RANGES = AsciiString.cached("Accept-Ranges");
    private static final AsciiString LAST_MODIFIED = AsciiString.cached("Last-Modified");
    private static final AsciiString EXPIRES = AsciiString.cached("Expires");
    private static final AsciiString CACHE_CONTROL = AsciiString.cached("Cache-Control");
    private FileResponse() {
    }

    /**
     * Answers with the open file {@code fc} (closed once sent) after the conditional checks; {@code ranges} false
     * answers a Range with the whole file and sends no Accept-Ranges (nginx's {@code gzip_static}, which does not
     * set {@code allow_ranges}).
     */
    public static PhaseResult send(Exchange ex, FileChannel fc, long size, long mtimeMillis, CharSequence type,
                                   StaticConf conf, boolean ranges) {
        return send(ex, new OpenFile(fc, size, mtimeMillis, false, null), type, conf, ranges);
    }

    /** {@link #send(Exchange, FileChannel, long, long, CharSequence, StaticConf, boolean)}; releases {@code f}. */
    static PhaseResult send(Exchange ex, OpenFile f, CharSequence type, StaticConf conf, boolean ranges) {
        long size = f.size();
        long mtimeMillis = f.mtimeMillis();
        FileTransfer.prepare(ex);
        long mtime = mtimeMillis / 1000;
        String etag = conf.etag() ? "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(size) + "\"" : null;
        HttpHeaders in = ex.request().headers();
        String ius = in.get(HttpHeaderNames.IF_UNMODIFIED_SINCE);
        String im = in.get(HttpHeaderNames.IF_MATCH);
        if (ius != null && parse(ius) >= 0 && mtime > parse(ius) || im != null && !Etags.matches(im, etag, false)) {
            f.release();
            return new PhaseResult.Fail(HttpError.forStatus(412));
        }
        String ims = in.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        String inm = in.get(HttpHeaderNames.IF_NONE_MATCH);
        if ((ims != null || inm != null)
                && (ims == null || !modified(conf.ifModifiedSince(), ims, mtime))
                && (inm == null || Etags.matches(inm, etag, true))) {
            f.release();
            validators(ex, mtimeMillis, etag);
            expires(ex, conf, mtimeMillis);
            ex.send(Statuses.of(304), null, Unpooled.EMPTY_BUFFER);
            return PhaseResult.DONE;
        }
        if (etag != null) {
            ex.addHeader(ETAG, etag);
        }
        expires(ex, conf, mtimeMillis);
        String range = in.get(HttpHeaderNames.RANGE);
        if (!ranges || conf.maxRanges() == 0) { // max_ranges 0: nginx's range filter steps aside entirely
            ex.sendFile(f, f.openedChannel(), 0, size, 200, mtimeMillis, type);
            return PhaseResult.DONE;
        }
        boolean rangeable = ex.method().equals(HttpMethod.GET) && range != null
                && ifRange(in.get(HttpHeaderNames.IF_RANGE), etag, mtime);
        if (rangeable) {
            java.util.List<long[]> r = Ranges.parse(range, size, conf.maxRanges());
            if (r == Ranges.UNSATISFIABLE) {
                f.release();
                ex.addHeader(CONTENT_RANGE, "bytes */" + size);
                return new PhaseResult.Fail(HttpError.forStatus(416));
            }
            if (r != null && r.size() == 1) {
                long[] one = r.getFirst();
                ex.addHeader(CONTENT_RANGE, "bytes " + one[0] + "-" + (one[1] - 1) + "/" + size);
                ex.sendFile(f, f.openedChannel(), one[0], one[1] - one[0], 206, mtimeMillis, type);
                return PhaseResult.DONE;
            }
            if (r != null) {
                ByteRanges.send(ex, f, r, size, mtimeMillis, type);
                return PhaseResult.DONE;
            }
        }
        ex.addHeader(ACCEPT_RANGES, "bytes");
        ex.sendFile(f, f.openedChannel(), 0, size, 200, mtimeMillis, type);
        return PhaseResult.DONE;
    }

    /** nginx's {@code ngx_http_test_if_modified}. */
    private static boolean modified(StaticConf.IfModifiedSince mode, String ims, long mtime) {
        long since = parse(ims);
        return switch (mode) {
            case OFF -> true;
            case EXACT -> since != mtime;
            case BEFORE -> since < mtime;
        };
    }

    /** {@code If-Range}: an entity tag must match strongly, a date exactly; else the whole file is sent. */
    private static boolean ifRange(String ifRange, String etag, long mtime) {
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return etag != null && ifRange.equals(etag);
        }
        return parse(ifRange) == mtime;
    }

    private static void validators(Exchange ex, long mtimeMillis, String etag) {
        ex.addHeader(LAST_MODIFIED, DateCache.format(mtimeMillis));
        if (etag != null) {
            ex.addHeader(ETAG, etag);
        }
    }

    /** {@code expires}: Expires and Cache-Control (ngx_http_set_expires). */
    private static void expires(Exchange ex, StaticConf conf, long mtimeMillis) {
        if (conf.expires().isEmpty()) {
            return;
        }
        StaticConf.Expires e = conf.expires().get();
        switch (e.kind()) {
            case EPOCH -> {
                ex.addHeader(EXPIRES, "Thu, 01 Jan 1970 00:00:01 GMT");
                ex.addHeader(CACHE_CONTROL, "no-cache");
            }
            case MAX -> {
                ex.addHeader(EXPIRES, "Thu, 31 Dec 2037 23:55:55 GMT");
                ex.addHeader(CACHE_CONTROL, "max-age=315360000");
            }
            case TIME -> {
                long now = System.currentTimeMillis();
                long at = (e.modified() ? mtimeMillis : now) + e.seconds() * 1000;
                ex.addHeader(EXPIRES, DateCache.format(at));
                long maxAge = (at - now) / 1000;
                ex.addHeader(CACHE_CONTROL, maxAge <= 0 ? "no-cache" : "max-age=" + maxAge);
            }
        }
    }

    /** An HTTP date in seconds, or -1. */
    static long parse(String date) {
        Date d = DateFormatter.parseHttpDate(date);
        return d == null ? -1 : d.getTime() / 1000;
    }
}
