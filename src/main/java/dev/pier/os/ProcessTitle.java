package dev.pier.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code ps -o comm} and {@code /proc/PID/comm} show for this process, like nginx's "nginx: worker process"
 * titles. A JVM cannot rewrite its argv, but any thread may rename the process's main thread (whose name is the
 * process's {@code comm}) through {@code /proc/self/task/PID/comm}. Linux keeps at most 15 bytes.
 */
public final class ProcessTitle {
    public static final int MAX = 15;

    private ProcessTitle() {
    }

    /** Sets the title, cut to 15 bytes; quietly does nothing where /proc is not writable. */
    public static void set(String title) {
        String t = title.length() > MAX ? title.substring(0, MAX) : title;
        long pid = ProcessHandle.current().pid();
        try {
            Files.writeString(Path.of("/proc/self/task/" + pid + "/comm"), t, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            // cosmetic: the process works the same without a title
        }
    }

    /** Another process's title ({@code /proc/PID/comm}), or empty if it is gone. */
    public static String of(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
