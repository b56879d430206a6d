package dev.pier.log;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * nginx's error log: {@code 2026/11/25 12:00:00 [error] PID#TID: message}. Lines at or above the level are appended
 * to the file (or stderr); {@link #reopen()} re-opens the file after rotation (USR1). Thread-safe; a write that fails
 * (disk full, file removed) never throws into the caller.
 */
public final class ErrorLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final long PID = ProcessHandle.current().pid();

    private final Path file;
    private final LogLevel level;
    private final boolean alsoStderr;
    private OutputStream out;

    private ErrorLog(Path file, LogLevel level, boolean alsoStderr) {
        this.file = file;
        this.level = Objects.requireNonNull(level);
        this.alsoStderr = alsoStderr;
    }

    /** A log that writes to stderr only. */
    public static ErrorLog stderr(LogLevel level) {
        return new ErrorLog(null, level, true);
    }

    /**
     * Opens the configured log. {@code copyToStderr} also echoes each line to stderr (the master in the foreground
     * does this for lines at {@code [emerg]}/{@code [alert]} so an operator sees them).
     */
    public static ErrorLog open(ErrorLogConf conf, boolean copyToStderr) throws IOException {
        ErrorLog log = new ErrorLog(conf.file().orElse(null), conf.level(), copyToStderr || conf.file().isEmpty());
        log.reopen();
        return log;
    }

    public LogLevel level() {
        return level;
    }

    public boolean enabled(LogLevel l) {
        return l.ordinal() >= level.ordinal();
    }

    /** Re-opens the file (append), closing the old stream; used for USR1 log rotation. */
    public synchronized void reopen() throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        OutputStream fresh = new FileOutputStream(file.toFile(), true);
        OutputStream old = out;
        out = fresh;
        if (old != null) {
            try {
                old.close();
            } catch (IOException ignored) {
                // the old file may be gone; the new one is what matters
            }
        }
    }

    public void log(LogLevel l, String message) {
        if (!enabled(l)) {
            return;
        }
        String line = TIME.format(LocalDateTime.now()) + " [" + l.label() + "] " + PID + "#"
                + Thread.currentThread().threadId() + ": " + message + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (out != null) {
                try {
                    out.write(bytes);
                    out.flush();
                } catch (IOException ignored) {
                    // serving goes on when the log cannot be written
                }
            }
        }
        if (alsoStderr) {
            PrintStream err = System.err;
            err.print(line);
            err.flush();
        }
    }

    public void emerg(String m) { log(LogLevel.EMERG, m); }
    public void alert(String m) { log(LogLevel.ALERT, m); }
    public void crit(String m) { log(LogLevel.CRIT, m); }
    public void error(String m) { log(LogLevel.ERROR, m); }
    public void warn(String m) { log(LogLevel.WARN, m); }
    public void notice(String m) { log(LogLevel.NOTICE, m); }
    public void info(String m) { log(LogLevel.INFO, m); }
    public void debug(String m) { log(LogLevel.DEBUG, m); }

    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            out = null;
        }
    }
}
