package dev.pier.config.bind;

/** nginx's {@code ngx_parse_time}: a sum of number+unit parts whose units must strictly decrease. */
final class TimeParser {
    private TimeParser() {
    }

    // steps in the order they may appear; a part's step must be greater than the previous one
    private static final int START = 0, YEAR = 1, MONTH = 2, WEEK = 3, DAY = 4, HOUR = 5, MIN = 6, SEC = 7, MSEC = 8,
            LAST = 9;

    static long parse(String s, boolean isSec) {
        int step = isSec ? START : MONTH;
        boolean valid = false;
        long value = 0;
        long total = 0;
        int p = 0;
        int n = s.length();
        while (p < n) {
            char c = s.charAt(p++);
            if (c >= '0' && c <= '9') {
                if (value > (Long.MAX_VALUE - 9) / 10) {
                    return -1;
                }
                value = value * 10 + (c - '0');
                valid = true;
                continue;
            }
            int next;
            long scale;
            switch (c) {
                case 'y' -> { next = YEAR; scale = 365L * 86400; }
                case 'M' -> { next = MONTH; scale = 30L * 86400; }
                case 'w' -> { next = WEEK; scale = 7L * 86400; }
                case 'd' -> { next = DAY; scale = 86400; }
                case 'h' -> { next = HOUR; scale = 3600; }
                case 'm' -> {
                    if (p < n && s.charAt(p) == 's') {
                        if (isSec) {
                            return -1;
                        }
                        p++;
                        next = MSEC;
                        scale = 1;
                    } else {
                        next = MIN;
                        scale = 60;
                    }
                }
                case 's' -> { next = SEC; scale = 1; }
                case ' ' -> {
                    // "10 " : a bare number followed by a space counts as seconds and must be the last part
                    if (step >= SEC) {
                        return -1;
                    }
                    next = LAST;
                    scale = 1;
                }
                default -> {
                    return -1;
                }
            }
            if (next != LAST && step >= next) {
                return -1;
            }
            step = next;
            if (next != MSEC && !isSec) {
                scale *= 1000;
            }
            if (value > Long.MAX_VALUE / scale) {
                return -1;
            }
            value *= scale;
            if (total > Long.MAX_VALUE - value) {
                return -1;
            }
            total += value;
            value = 0;
            while (p < n && s.charAt(p) == ' ') {
                p++;
            }
        }
        if (!valid) {
            return -1;
        }
        if (!isSec) {
            if (value > Long.MAX_VALUE / 1000) {
                return -1;
            }
            value *= 1000;
        }
        if (total > Long.MAX_VALUE - value) {
            return -1;
        }
        return total + value;
    }
}
