package dev.pier.http;

/** Header values built from request data ($uri is percent-decoded) must not split the header block. */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** Escapes CR, LF and NUL as {@code %0D}, {@code %0A}, {@code %00}; returns {@code v} itself when clean. */
    public static String sanitize(String v) {
        int n = v.length();
        int i = 0;
        while (i < n) {
            char c = v.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                break;
            }
            i++;
        }
        if (i == n) {
            return v;
        }
        StringBuilder sb = new StringBuilder(n + 8).append(v, 0, i);
        for (; i < n; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\r' -> sb.append("%0D");
                case '\n' -> sb.append("%0A");
                case '\0' -> sb.append("%00");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
