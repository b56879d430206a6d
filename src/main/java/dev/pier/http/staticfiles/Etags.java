package dev.pier.http.staticfiles;

/** Entity-tag lists of {@code If-Match} / {@code If-None-Match} (RFC 9110 13.1.1, 13.1.2; nginx's test_if_match). */
final class Etags {
    private Etags() {
    }

    /**
     * Whether {@code header} ({@code *} or a comma-separated list) matches {@code etag}; {@code weak} comparison
     * ignores {@code W/} prefixes (If-None-Match), strong comparison never matches a weak tag (If-Match).
     */
    static boolean matches(String header, String etag, boolean weak) {
        String h = header.trim();
        if (h.equals("*")) {
            return etag != null || !weak;
        }
        if (etag == null) {
            return false;
        }
        for (String part : h.split(",")) {
            String t = part.trim();
            if (t.startsWith("W/")) {
                if (!weak) {
                    continue;
                }
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
