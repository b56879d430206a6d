package dev.pier.http;

import java.util.Locale;

/** nginx's {@code ngx_http_validate_host}: the server name a client asked for, as used for server selection. */
public final class HostName {
    private HostName() {
    }

    /**
     * Lowercases, strips the port and a trailing dot; {@code null} when invalid (empty, {@code ..}, '/', '\', NUL):
     * nginx answers 400 "client sent invalid host header".
     */
    public static String normalize(String h) {
        int len = h.length();
        int end = len;
        int dot = -2;
        boolean bracket = false;
        boolean upper = false;
        for (int i = 0; i < len; i++) {
            char c = h.charAt(i);
            switch (c) {
                case '.' -> {
                    if (dot == i - 1) {
                        return null;
                    }
                    dot = i;
                }
                case ':' -> {
                    if (!bracket) {
                        end = i;
                        i = len;
                    }
                }
                case '[' -> {
                    if (i == 0) {
                        bracket = true;
                    }
                }
                case ']' -> bracket = false;
                case '/', '\\', '\0' -> {
                    return null;
                }
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        return null;
                    }
                    if (c >= 'A' && c <= 'Z') {
                        upper = true;
                    }
                }
            }
        }
        if (dot == end - 1) {
            end--;
        }
        if (end <= 0) {
            return null;
        }
        String s = end == len ? h : h.substring(0, end);
        return upper ? s.toLowerCase(Locale.ROOT) : s;
    }
}
