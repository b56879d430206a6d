package dev.pier.http.gzip;

/**
 * nginx's {@code ngx_http_gzip_accept_encoding}: the first {@code gzip} token (case-insensitive, at the start or
 * after ',' or ' ') must be followed by nothing, ',' or a quality {@code ;q=} between 0.001 and 1; {@code q=0}
 * and anything malformed refuse gzip.
 */
final class AcceptEncoding {
    private AcceptEncoding() {
    }

    static boolean gzip(String ae) {
        String lower = ae.toLowerCase(java.util.Locale.ROOT);
        int p = -1;
        for (int from = 0; ; from = p + 4) {
            p = lower.indexOf("gzip", from);
            if (p < 0) {
                return false;
            }
            if (p == 0 || lower.charAt(p - 1) == ',' || lower.charAt(p - 1) == ' ') {
                break;
            }
        }
        int i = p + 4;
        int n = lower.length();
        while (i < n) {
            char c = lower.charAt(i++);
            if (c == ',') {
                return true;
            }
            if (c == ';') {
                return quality(lower, i);
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** After ';': spaces, 'q', '=', then the value must be non-zero. */
    private static boolean quality(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i++);
            if (c == 'q') {
                if (i + 2 > n || s.charAt(i) != '=') {
                    return false;
                }
                return quantity(s, i + 1) > 0;
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** {@code ngx_http_gzip_quantity}: 0..100 (thousandths over 100 are invalid), 0 for anything malformed. */
    private static int quantity(String s, int i) {
        int n = s.length();
        char c = s.charAt(i++);
        if (c != '0' && c != '1') {
            return 0;
        }
        int q = (c - '0') * 100;
        if (i == n) {
            return q;
        }
        c = s.charAt(i++);
        if (c == ',' || c == ' ') {
            return q;
        }
        if (c != '.') {
            return 0;
        }
        int digits = 0;
        while (i < n) {
            c = s.charAt(i++);
            if (c == ',' || c == ' ') {
                break;
            }
            if (c < '0' || c > '9') {
                return 0;
            }
            q += c - '0';
            digits++;
        }
        return q > 100 || digits > 3 ? 0 : q;
    }
}
