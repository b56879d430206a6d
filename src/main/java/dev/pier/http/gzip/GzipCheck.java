package dev.pier.http.gzip;

import dev.pier.config.bind.GzipConf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Date;
import java.util.regex.Pattern;

/**
 * nginx's {@code ngx_http_gzip_ok}: whether this client may get a gzip response: it accepts gzip, its HTTP version
 * is at least {@code gzip_http_version}, a proxied request ({@code Via}) passes {@code gzip_proxied}, and its
 * User-Agent matches no {@code gzip_disable} pattern.
 */
final class GzipCheck {
    private GzipCheck() {
    }

    /** {@code response} holds the response headers known so far (empty for {@code gzip_static}). */
    static boolean ok(HttpRequest req, GzipConf conf, HttpHeaders response) {
        HttpHeaders in = req.headers();
        String ae = in.get(HttpHeaderNames.ACCEPT_ENCODING);
        if (ae == null || ae.length() < 4 || !ae.startsWith("gzip,") && !AcceptEncoding.gzip(ae)) {
            return false;
        }
        if (!conf.http10() && req.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
            return false;
        }
        if (in.contains(HttpHeaderNames.VIA) && !proxiedOk(conf, in, response)) {
            return false;
        }
        String ua = in.get(HttpHeaderNames.USER_AGENT);
        if (ua != null) {
            for (Pattern p : conf.disable()) {
                if (p.matcher(ua).find()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code gzip_proxied}, in nginx's order: off, any, auth, Expires, Cache-Control, Last-Modified, ETag. */
    private static boolean proxiedOk(GzipConf conf, HttpHeaders in, HttpHeaders out) {
        var p = conf.proxied();
        if (p.contains(GzipConf.Proxied.OFF)) {
            return false;
        }
        if (p.contains(GzipConf.Proxied.ANY)
                || p.contains(GzipConf.Proxied.AUTH) && in.contains(HttpHeaderNames.AUTHORIZATION)) {
            return true;
        }
        String expires = out.get(HttpHeaderNames.EXPIRES);
        if (expires != null) {
            if (!p.contains(GzipConf.Proxied.EXPIRED)) {
                return false;
            }
            Date e = DateFormatter.parseHttpDate(expires);
            String dateHeader = out.get(HttpHeaderNames.DATE);
            Date d = dateHeader != null ? DateFormatter.parseHttpDate(dateHeader) : new Date();
            return e != null && d != null && e.getTime() / 1000 < d.getTime() / 1000;
        }
        if (out.contains(HttpHeaderNames.CACHE_CONTROL)) {
            var cc = out.getAll(HttpHeaderNames.CACHE_CONTROL);
            return p.contains(GzipConf.Proxied.NO_CACHE) && hasToken(cc, "no-cache")
                    || p.contains(GzipConf.Proxied.NO_STORE) && hasToken(cc, "no-store")
                    || p.contains(GzipConf.Proxied.PRIVATE) && hasToken(cc, "private");
        }
        if (p.contains(GzipConf.Proxied.NO_LAST_MODIFIED) && out.contains(HttpHeaderNames.LAST_MODIFIED)) {
            return false;
        }
        return !(p.contains(GzipConf.Proxied.NO_ETAG) && out.contains(HttpHeaderNames.ETAG));
    }

    /** A directive of Cache-Control lines, case-insensitive, with or without {@code =value}. */
    private static boolean hasToken(Iterable<String> lines, String token) {
        for (String line : lines) {
            for (String part : line.split(",")) {
                String t = part.trim();
                int eq = t.indexOf('=');
                if ((eq < 0 ? t : t.substring(0, eq).trim()).equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
