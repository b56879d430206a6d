package dev.pier.http;

import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.x request line as nginx accepts it: {@code METHOD SP+ TARGET SP+ HTTP/d{1,3}.d{1,3} SP*}, the method in
 * upper-case letters, '_' and '-'. Scanned by hand, without regexes or intermediate strings: it runs for every request.
 */
record RequestLine(String method, String target, String version) {

    /**
     * The line in {@code buf[from, to)} (without its CR LF), or null when nginx would answer 400. A target equal to
     * {@code lastTarget} (may be null) is that string: a keep-alive client often asks for the same one again.
     */
    static RequestLine parse(byte[] buf, int from, int to, String lastTarget) {
        int methodEnd = from;
        while (methodEnd < to && isMethodChar(buf[methodEnd])) {
            methodEnd++;
        }
        int targetStart = skipSpaces(buf, methodEnd, to);
        int targetEnd = targetStart;
        while (targetEnd < to && buf[targetEnd] != ' ') {
            targetEnd++;
        }
        int versionStart = skipSpaces(buf, targetEnd, to);
        int versionEnd = versionStart;
        while (versionEnd < to && buf[versionEnd] != ' ') {
            versionEnd++;
        }
        if (methodEnd == from || targetStart == methodEnd || targetEnd == targetStart || versionStart == targetEnd
                || skipSpaces(buf, versionEnd, to) != to || !isVersion(buf, versionStart, versionEnd)) {
            return null;
        }
        String target = HeadText.same(lastTarget, buf, targetStart, targetEnd - targetStart) ? lastTarget
                : text(buf, targetStart, targetEnd);
        return new RequestLine(known(buf, from, methodEnd, METHODS), target, known(buf, versionStart, versionEnd,
                VERSIONS));
    }

    /** The common methods and versions as constants (their hash codes computed once), others as new strings. */
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0"};

    private static String known(byte[] buf, int from, int to, String[] constants) {
        for (String c : constants) {
            if (c.length() == to - from && matches(buf, from, c)) {
                return c;
            }
        }
        return text(buf, from, to);
    }

    private static boolean matches(byte[] buf, int from, String c) {
        for (int i = 0; i < c.length(); i++) {
            if (buf[from + i] != c.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isMethodChar(byte b) {
        return b >= 'A' && b <= 'Z' || b == '_' || b == '-';
    }

    private static int skipSpaces(byte[] buf, int i, int to) {
        while (i < to && buf[i] == ' ') {
            i++;
        }
        return i;
    }

    /** {@code HTTP/d{1,3}.d{1,3}}. */
    private static boolean isVersion(byte[] buf, int from, int to) {
        if (to - from < 8 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T'
                || buf[from + 3] != 'P' || buf[from + 4] != '/') {
            return false;
        }
        int i = from + 5;
        int major = digits(buf, i, to);
        if (major < 1 || major > 3 || i + major >= to || buf[i + major] != '.') {
            return false;
        }
        i += major + 1;
        int minor = digits(buf, i, to);
        return minor >= 1 && minor <= 3 && i + minor == to;
    }

    private static int digits(byte[] buf, int i, int to) {
        int n = 0;
        while (i + n < to && buf[i + n] >= '0' && buf[i + n] <= '9') {
            n++;
        }
        return n;
    }
}
