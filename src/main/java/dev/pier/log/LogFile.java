package dev.pier.log;

import dev.pier.config.bind.LogLevel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One error log destination, opened once per process however many {@code error_log} lines name it (nginx's
 * {@code cycle->open_files}); {@code path == null} is stderr. Thread-safe; a failed write never throws.
 */
final class LogFile {
    private final Path path;
    private OutputStream out;

    /** nginx's access log reports a failing write once a minute ({@code error_log_time}); so does this. */
    static final long REPORT_INTERVAL_NANOS = Long.getLong("pier.errorlog.report.seconds", 60) * 1_000_000_000L;
    /** After a failure, lines are dropped without a write for this long (nginx: one second after ENOSPC). */
    static final long SKIP_NANOS = 1_000_000_000L;
    /** The last failure's reason while writes fail, else null. */
    private String failure;
    private long skipUntil;
    private long lost;
    private boolean reported;
    private long lastReport;
    private int reports;

    LogFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Opens (append) or re-opens the file after rotation; the old stream is closed. No-op for stderr. */
    synchronized void reopen() throws IOException {
        if (path == null) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream fresh;
        try {
            fresh = new FileOutputStream(path.toFile(), true);
        } catch (java.io.FileNotFoundException e) {
            // the JDK says "PATH (Permission denied)"; nginx says open() "PATH" failed (13: Permission denied)
            String m = String.valueOf(e.getMessage());
            int p = m.lastIndexOf(" (");
            String why = p >= 0 && m.endsWith(")") ? m.substring(p + 2, m.length() - 1) : m;
            throw new IOException("\"" + path + "\" failed (" + why + ")", e);
        }
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

    void write(byte[] line, String text) {
        if (path == null) {
            PrintStream err = System.err;
            err.print(text);
            err.flush();
            return;
        }
        synchronized (this) {
            if (out == null) {
                return;
            }
            long now = System.nanoTime();
            if (failure != null && now - skipUntil < 0) {
                lost++; // nginx skips a full disk for a second (disk_full_time) rather than fail every line
                return;
            }
            try {
                if (failure != null) {
                    // the disk has room again: say in the log itself what it is missing
                    out.write(ErrorLog.format(LogLevel.ALERT, "write() to \"" + path + "\" failed ("
                            + failure + "), " + lost + " error log line(s) lost").getBytes(StandardCharsets.UTF_8));
                }
                out.write(line);
                out.flush();
                failure = null;
                lost = 0;
            } catch (IOException e) {
                failed(e, now);
            }
        }
    }

    /**
     * A write failed (ENOSPC, EIO): serving goes on, the line is lost, and the failure is reported on stderr (the
     * master's, which workers share) at most once per {@link #REPORT_INTERVAL_NANOS}, never once per line: the
     * error log is where a server under trouble writes most.
     */
    private void failed(IOException e, long now) {
        lost++;
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
        skipUntil = now + SKIP_NANOS;
        if (!reported || now - lastReport >= REPORT_INTERVAL_NANOS) {
            reported = true;
            lastReport = now;
            reports++;
            PrintStream err = System.err;
            err.print(ErrorLog.format(LogLevel.ALERT, "write() to \"" + path + "\" failed (" + failure
                    + "), error log lines are lost until it can be written again (reported at most once a minute)"));
            err.flush();
        }
    }

    /** How many times a failure went to stderr (tests). */
    synchronized int reports() {
        return reports;
    }

    synchronized void close() {
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
