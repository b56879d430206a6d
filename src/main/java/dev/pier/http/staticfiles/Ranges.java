package dev.pier.http.staticfiles;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Range: bytes=...} for one representation of {@code size} bytes, parsed as nginx's
 * {@code ngx_http_range_parse}: a syntax error or no satisfiable range is 416; a range starting at 0 that is empty
 * (an empty file) or ranges adding up to more than the file (overlaps) send the whole file; other unsatisfiable
 * ranges are skipped. Ranges keep the client's order.
 */
final class Ranges {
    /** Answer 416. */
    static final List<long[]> UNSATISFIABLE = List.of();

    private Ranges() {
    }

    /** {@link #parse(String, long, int)} without a limit on the number of ranges. */
    static List<long[]> parse(String header, long size) {
        return parse(header, size, Integer.MAX_VALUE);
    }

    /**
     * The ranges as {@code [start, end)}; {@link #UNSATISFIABLE}; or {@code null} to send the whole file. More than
     * {@code max} satisfiable ranges ({@code max_ranges}) is also the whole file: nginx stops parsing at the one
     * over the limit and ignores the header, whatever follows.
     */
    static List<long[]> parse(String header, long size, int max) {
        if (header.length() < 7 || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String h = header;
        int p = 6;
        int n = h.length();
        List<long[]> ranges = new ArrayList<>();
        long total = 0;
        while (true) {
            long start = 0;
            long end;
            p = spaces(h, p);
            boolean suffix = p < n && h.charAt(p) == '-';
            boolean open = false;
            if (!suffix) {
                if (!digit(h, p)) {
                    return UNSATISFIABLE;
                }
                int q = p;
                while (digit(h, p)) {
                    p++;
                }
                start = number(h, q, p);
                if (start < 0) {
                    return UNSATISFIABLE; // overflow
                }
                p = spaces(h, p);
                if (p >= n || h.charAt(p++) != '-') {
                    return UNSATISFIABLE;
                }
                p = spaces(h, p);
                open = p >= n || h.charAt(p) == ',';
            } else {
                p++;
            }
            if (open) {
                end = size;
            } else {
                if (!digit(h, p)) {
                    return UNSATISFIABLE;
                }
                int q = p;
                while (digit(h, p)) {
                    p++;
                }
                end = number(h, q, p);
                if (end < 0) {
                    return UNSATISFIABLE;
                }
                p = spaces(h, p);
                if (p < n && h.charAt(p) != ',') {
                    return UNSATISFIABLE;
                }
                if (suffix) {
                    start = end < size ? size - end : 0;
                    end = size - 1;
                }
                end = end >= size ? size : end + 1;
            }
            if (start < end) {
                ranges.add(new long[] {start, end});
                total += end - start;
                if (ranges.size() > max) {
                    return null;
                }
            } else if (start == 0) {
                return null;
            }
            if (p >= n || h.charAt(p++) != ',') {
                break;
            }
        }
        if (ranges.isEmpty()) {
            return UNSATISFIABLE;
        }
        return total > size ? null : ranges;
    }

    private static int spaces(String h, int p) {
        while (p < h.length() && h.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    private static boolean digit(String h, int p) {
        return p < h.length() && h.charAt(p) >= '0' && h.charAt(p) <= '9';
    }

    /** Digits {@code [from, to)}; -1 when they overflow a long (nginx: 416). */
    private static long number(String h, int from, int to) {
        try {
            return Long.parseLong(h, from, to, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
