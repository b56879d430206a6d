package dev.pier.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc/PID} says about a process's resources: resident memory, open descriptors, its threads' sleeps. */
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

    /**
     * How often the threads of {@code pid} named {@code thread} ({@code /proc/PID/task/TID/comm}) have gone to sleep
     * ({@code voluntary_ctxt_switches}, summed): each sleep ends in a wake-up. -1 if the process is gone.
     */
    static long sleeps(long pid, String thread) {
        long n = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (!Files.readString(t.resolve("comm")).strip().equals(thread)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (IOException e) {
                    // a thread that ended meanwhile
                }
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }
}
