package dev.pier.http;

import java.nio.charset.StandardCharsets;

/**
 * A request target after nginx's URI processing ({@code ngx_http_parse_complex_uri}): {@code uri} is percent-decoded,
 * with {@code .}/{@code ..} segments resolved and runs of slashes merged; {@code args} is the raw query string;
 * {@code requestUri} is the target as sent (path and query); {@code host} is the authority of an absolute-form
 * target ({@code GET http://host/path}), else {@code null}.
 */
public record RequestTarget(String uri, String args, String requestUri, String host) {

    /**
     * Parses a request target, or returns {@code null} when nginx answers 400: control characters, an invalid or
     * NUL ({@code %00}) escape, a {@code ..} above the root, or a form other than origin/absolute.
     */
    public static RequestTarget parse(String raw) {
        return parse(raw, true);
    }

    /** {@link #parse(String)}; {@code mergeSlashes} false ({@code merge_slashes off}) keeps runs of '/'. */
    public static RequestTarget parse(String raw, boolean mergeSlashes) {
        int n = raw.length();
        if (n == 0) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return null;
            }
        }
        String host = null;
        int pathStart = 0;
        if (raw.charAt(0) != '/') {
            int schemeEnd;
            if (raw.regionMatches(true, 0, "http://", 0, 7)) {
                schemeEnd = 7;
            } else if (raw.regionMatches(true, 0, "https://", 0, 8)) {
                schemeEnd = 8;
            } else {
                return null;
            }
            int end = schemeEnd;
            while (end < n && raw.charAt(end) != '/' && raw.charAt(end) != '?') {
                end++;
            }
            host = raw.substring(schemeEnd, end);
            pathStart = end;
        }
        String requestUri = pathStart == 0 ? raw : pathStart == n ? "/" : raw.substring(pathStart);
        if (requestUri.charAt(0) == '?') {
            requestUri = "/" + requestUri;
        }
        int q = requestUri.indexOf('?');
        String path = q < 0 ? requestUri : requestUri.substring(0, q);
        String args = q < 0 ? "" : requestUri.substring(q + 1);
        String uri = decodeAndNormalize(path, mergeSlashes);
        return uri == null ? null : new RequestTarget(uri, args, requestUri, host);
    }

    /** Percent-decodes {@code path} (which starts with '/') and resolves dot segments; {@code null} when invalid. */
    static String decodeAndNormalize(String path) {
        return decodeAndNormalize(path, true);
    }

    static String decodeAndNormalize(String path, boolean mergeSlashes) {
        int n = path.length();
        boolean simple = true;
        for (int i = 0; i < n && simple; i++) {
            char c = path.charAt(i);
            simple = c != '%' && c != '.' && c < 0x80
                    && (!mergeSlashes || c != '/' || i == 0 || path.charAt(i - 1) != '/');
        }
        if (simple) {
            return path; // the common case: nothing to decode, no dots, no double slashes
        }
        byte[] in = new byte[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= n) {
                    return null;
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || (hi | lo) == 0) {
                    return null;
                }
                in[len++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                in[len++] = (byte) c;
            }
        }
        byte[] out = new byte[len + 1];
        int o = 0;
        int i = 0;
        while (i < len) {
            int j = i + 1;
            while (j < len && in[j] != '/') {
                j++;
            }
            int seg = j - i - 1;
            boolean last = j == len;
            if (seg == 0 && !mergeSlashes && !last) {
                out[o++] = '/'; // merge_slashes off: an empty segment stays
            } else if (seg == 0 || (seg == 1 && in[i + 1] == '.')) {
                if (last) {
                    out[o++] = '/';
                }
            } else if (seg == 2 && in[i + 1] == '.' && in[i + 2] == '.') {
                if (o == 0) {
                    return null; // "/.." would climb above the root: nginx answers 400
                }
                do {
                    o--;
                } while (o > 0 && out[o] != '/');
                if (last) {
                    out[o++] = '/';
                }
            } else {
                out[o++] = '/';
                System.arraycopy(in, i + 1, out, o, seg);
                o += seg;
            }
            i = j;
        }
        if (o == 0) {
            out[o++] = '/';
        }
        return new String(out, 0, o, StandardCharsets.UTF_8);
    }
}
