package dev.pier.config.bind;

/**
 * Generic value parsers with nginx's rules. Each returns {@code -1} for an invalid value so callers can choose
 * nginx's message for their directive.
 */
public final class Values {
    private Values() {
    }

    /** {@code ngx_atoi}: decimal digits only, no sign, no overflow. */
    public static long number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@link #number} limited to an int. */
    public static int intNumber(String s) {
        long v = number(s);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** {@code ngx_parse_size}: a number with an optional {@code k}/{@code K} or {@code m}/{@code M} suffix. */
    public static long size(String s) {
        return scaled(s, false);
    }

    /** {@code ngx_parse_offset}: like {@link #size} and also {@code g}/{@code G}. */
    public static long offset(String s) {
        return scaled(s, true);
    }

    private static long scaled(String s, boolean allowGiga) {
        if (s.isEmpty()) {
            return -1;
        }
        long scale = switch (s.charAt(s.length() - 1)) {
            case 'k', 'K' -> 1024L;
            case 'm', 'M' -> 1024L * 1024;
            case 'g', 'G' -> allowGiga ? 1024L * 1024 * 1024 : 0;
            default -> 1;
        };
        if (scale == 0) {
            return -1;
        }
        long v = number(scale == 1 ? s : s.substring(0, s.length() - 1));
        if (v < 0 || v > Long.MAX_VALUE / scale) {
            return -1;
        }
        return v * scale;
    }

    /**
     * {@code ngx_parse_time(s, 0)}: milliseconds. Units {@code w d h m s ms}, each at most once and largest first,
     * optionally separated by spaces ({@code "1h 30m"}); a bare trailing number is seconds. Years and months are
     * not accepted for millisecond values, as in nginx.
     */
    public static long msec(String s) {
        return TimeParser.parse(s, false);
    }

    /** {@code ngx_parse_time(s, 1)}: seconds. Units {@code y M w d h m s}; {@code ms} is invalid. */
    public static long sec(String s) {
        return TimeParser.parse(s, true);
    }
}
