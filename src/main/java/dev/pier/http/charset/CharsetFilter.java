package dev.pier.http.charset;

import dev.pier.config.bind.CharsetConf;
import dev.pier.http.Exchange;
import dev.pier.http.HeaderFilter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nginx's charset header filter ({@code ngx_http_charset_header_filter}), per response:
 * <ul>
 *   <li>the destination is {@code charset}; a response that names a charset already is left alone unless
 *   {@code override_charset on}, one that names none needs a type of {@code charset_types};</li>
 *   <li>the source is the charset the response names, else {@code source_charset}; without one, or when both are
 *   the same, the charset is only named ({@code ; charset=X});</li>
 *   <li>otherwise the body is recoded (not when it has a Content-Encoding), and Content-Length goes when the length
 *   may change (UTF-8 on a side); with no way to recode, nginx's
 *   {@code [error] no "charset_map" between the charsets "A" and "B"} and the response passes unchanged;</li>
 *   <li>301 and 302 answers never get a charset (nginx: old browsers used it for the next page);</li>
 *   <li>a 206 part whose length recoding would change passes unchanged.</li>
 * </ul>
 */
final class CharsetFilter implements HeaderFilter {
    private final CharsetConf conf;
    private final String charset;
    /** Pairs worked out so far: the configured one at once, ones named by responses on first use. */
    private final Map<String, Optional<Recoding>> recodings = new ConcurrentHashMap<>();
    private static final int MAX_PAIRS = 64;

    CharsetFilter(CharsetConf conf) {
        this.conf = conf;
        this.charset = conf.charset().orElseThrow();
        conf.sourceCharset().ifPresent(s -> recoding(s));
    }

    private Optional<Recoding> recoding(String source) {
        String key = source.toLowerCase(Locale.ROOT);
        Optional<Recoding> r = recodings.get(key);
        if (r != null) {
            return r;
        }
        r = Recoding.of(source, charset, conf);
        if (recodings.size() < MAX_PAIRS) { // names come from backends too: keep the cache bounded
            recodings.putIfAbsent(key, r);
        }
        return r;
    }

    @Override
    public void filter(Exchange ex, int status, HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || type.isEmpty()) {
            return;
        }
        String named = charsetParameter(type);
        String bare = bare(type);
        String source;
        if (named != null) {
            if (!conf.overrideCharset()) {
                return;
            }
            source = named;
        } else {
            if (!conf.applies(bare)) {
                return;
            }
            source = conf.sourceCharset().orElse(null);
        }
        if (source == null || source.equalsIgnoreCase(charset)) {
            name(headers, status, bare, type, named);
            return;
        }
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty()) {
            return;
        }
        Optional<Recoding> r = recoding(source);
        if (r.isEmpty()) {
            ex.log().error("no \"charset_map\" between the charsets \"" + source + "\" and \"" + charset + "\""
                    + ex.logContext());
            return;
        }
        if (status == 206 && !r.get().sameLength()) {
            // the range was cut from the original bytes: nginx's range filter, after its charset filter, would have
            // sent the whole recoded body instead; Pier sends the part as it is, unrenamed (as with an encoding)
            return;
        }
        name(headers, status, bare, type, named);
        boolean body = !ex.isHead() && status != 204 && status != 304 && status >= 200;
        if (!r.get().sameLength()) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.remove(HttpHeaderNames.ACCEPT_RANGES);
            if (body) {
                framed(ex, headers);
            }
        }
        if (body) {
            CharsetPipeline.arm(ex.channel(), r.get().recoders().get());
        }
    }

    /** Without a length the body is chunked on HTTP/1.1 and ends with the connection on HTTP/1.0. */
    private static void framed(Exchange ex, HttpHeaders h) {
        if (ex.request().protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            if (!h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, "chunked", true)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
            }
        } else {
            h.set(HttpHeaderNames.CONNECTION, "close");
            h.remove("Keep-Alive");
        }
    }

    /** {@code ngx_http_set_charset}: {@code type; charset=X}, replacing a named one; none on 301/302. */
    private void name(HttpHeaders headers, int status, String bare, String type, String named) {
        if (status == 301 || status == 302) {
            if (named != null) {
                replace(headers, bare);
            }
            return;
        }
        replace(headers, (named != null ? withoutCharset(type) : type) + "; charset=" + charset);
    }

    /** The {@code charset=} parameter of a Content-Type, unquoted; null when there is none. */
    static String charsetParameter(String type) {
        String[] parts = type.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String v = p.substring(8).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    private static String withoutCharset(String type) {
        StringBuilder sb = new StringBuilder();
        for (String p : type.split(";")) {
            if (!p.trim().regionMatches(true, 0, "charset=", 0, 8)) {
                sb.append(sb.isEmpty() ? "" : ";").append(p);
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String bare(String type) {
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim();
    }

    /** Replaces the value in place: nginx's header order stays (a plain {@code set} would move it to the end). */
    private static void replace(HttpHeaders headers, String value) {
        List<Map.Entry<String, String>> all = headers.entries();
        headers.clear();
        for (Map.Entry<String, String> e : all) {
            headers.add(e.getKey(), HttpHeaderNames.CONTENT_TYPE.contentEqualsIgnoreCase(e.getKey()) ? value
                    : e.getValue());
        }
    }
}
