package dev.pier.http.staticfiles;

/** {@code Range: bytes=...} for one representation of {@code size} bytes (RFC 9110 14.1.2). */
final class Ranges {
    /** No range in the set overlaps the file: 416. */
    static final long[] UNSATISFIABLE = new long[0];

    private Ranges() {
    }

    /**
     * The one satisfiable range as {@code [start, end)}; {@link #UNSATISFIABLE}; or {@code null} to send the whole
     * file (not a bytes range, invalid syntax, or several ranges).
     */
    static long[] single(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String[] specs = h.substring(6).split(",");
        long[] found = null;
        int satisfiable = 0;
        for (String spec : specs) {
            String s = spec.trim();
            int dash = s.indexOf('-');
            if (dash < 0) {
                return null;
            }
            long start;
            long end;
            try {
                if (dash == 0) {
                    long suffix = Long.parseLong(s.substring(1));
                    if (suffix == 0) {
                        continue;
                    }
                    start = Math.max(0, size - suffix);
                    end = size;
                } else {
                    start = Long.parseLong(s.substring(0, dash));
                    end = dash == s.length() - 1 ? size : Math.min(size, Long.parseLong(s.substring(dash + 1)) + 1);
                    if (end <= start && dash != s.length() - 1 && Long.parseLong(s.substring(dash + 1)) < start) {
                        return null; // "5-2" is invalid: ignore the header
                    }
                }
            } catch (NumberFormatException e) {
                return null;
            }
            if (start < size && start < end) {
                satisfiable++;
                found = new long[] {start, end};
            }
        }
        if (satisfiable == 0) {
            return UNSATISFIABLE;
        }
        return satisfiable == 1 ? found : null;
    }
}
