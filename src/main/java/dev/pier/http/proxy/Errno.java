package dev.pier.http.proxy;

import java.util.Locale;

/** Maps a Java/Netty socket failure to nginx's {@code (errno: strerror)} text for error-log lines. */
final class Errno {
    private Errno() {
    }

    static String describe(Throwable t) {
        String m = t == null || t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return "111: Connection refused";
        }
        if (m.contains("reset")) {
            return "104: Connection reset by peer";
        }
        if (m.contains("broken pipe")) {
            return "32: Broken pipe";
        }
        if (m.contains("timed out")) {
            return "110: Connection timed out";
        }
        if (t instanceof java.io.FileNotFoundException || m.contains("no such file")) {
            return "2: No such file or directory"; // a unix: socket that is not there
        }
        if (m.contains("permission denied")) {
            return "13: Permission denied";
        }
        if (m.contains("unreachable")) {
            return m.contains("host") ? "113: No route to host" : "101: Network is unreachable";
        }
        return "5: " + (t == null ? "I/O error" : t.getMessage());
    }
}
