package dev.pier.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc/PID} says about a process's resources: resident memory and open descriptors. */
final class ProcStatus {
    private ProcStatus() {
    }

    /** {@code VmRSS} of {@code /proc/PID/status} in KiB, or -1 if the process is gone. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The number of entries in {@code /proc/PID/fd}, or -1 if the process is gone. */
    static int openFds(long pid) {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
