package dev.pier.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ss -ltnm}: what /proc/net/tcp does not show of a listening socket (its backlog and buffer sizes). */
final class SocketStats {
    private SocketStats() {
    }

    /**
     * One line per TCP socket listening on {@code port}: {@code LISTEN 0 BACKLOG ADDR:PORT ... skmem:(r0,rbRCVBUF,...)}
     * (the memory line joined to its socket line).
     */
    static List<String> listening(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Hltnm", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IOException("ss failed: " + out);
        }
        return List.of(out.replaceAll("\\n\\s+skmem", " skmem").strip().split("\\n"));
    }
}
