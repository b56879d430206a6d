package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code $cookie_NAME}: the raw value of the first cookie called NAME (compared case-insensitively) in any
 * {@code Cookie} header, as nginx's {@code ngx_http_parse_multi_header_lines}; not found: {@code null}.
 */
final class Cookies {
    private Cookies() {
    }

    static String find(HttpHeaders headers, String name) {
        for (String line : headers.getAll(HttpHeaderNames.COOKIE)) {
            String v = Args.pair(line, name, ';');
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
