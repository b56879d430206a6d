package dev.pier.http.proxy;

import java.nio.charset.StandardCharsets;

/**
 * nginx's rule for the URI sent upstream. With a URI part in {@code proxy_pass} ({@code http://b/remote/}), the
 * part of the normalised request URI matching the location's prefix is replaced by it and the result re-escaped,
 * then {@code ?args} appended; without one, the request URI goes as the client sent it ({@code $request_uri}), or,
 * if the URI was changed inside Pier, the normalised URI escaped plus {@code ?args}.
 */
final class UriRewrite {
    private UriRewrite() {
    }

    /**
     * @param passUri     the proxy_pass URI part, or null when none
     * @param location    the location prefix (its length is what gets replaced)
     * @param uri         {@code $uri}: decoded, normalised
     * @param args        {@code $args}
     * @param requestUri  {@code $request_uri}
     * @param uriChanged  the URI was changed inside Pier (internal redirect)
     */
    static String upstreamUri(String passUri, String location, String uri, String args, String requestUri,
                              boolean uriChanged) {
        if (passUri == null) {
            if (!uriChanged) {
                return requestUri;
            }
            return escape(uri) + (args.isEmpty() ? "" : "?" + args);
        }
        int locLen = uri.startsWith(location) ? location.length() : 0;
        return passUri + escape(uri.substring(locLen)) + (args.isEmpty() ? "" : "?" + args);
    }

    /** {@code ngx_escape_uri(NGX_ESCAPE_URI)}: escapes space, '#', '%', '?', controls and non-ASCII bytes. */
    static String escape(String s) {
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            plain = !needsEscape(s.charAt(i));
        }
        if (plain) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (needsEscape((char) c)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c <= ' ' || c >= 0x7f || c == '#' || c == '%' || c == '?';
    }
}
