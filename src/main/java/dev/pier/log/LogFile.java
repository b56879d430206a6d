package dev.pier.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One error log destination, opened once per process however many {@code error_log} lines name it (nginx's
 * {@code cycle->open_files}); {@code path == null} is stderr. Thread-safe; a failed write never throws.
 */
final class LogFile {
    private final Path path;
    private OutputStream out;

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
            if (out != null) {
                try {
                    out.write(line);
                    out.flush();
                } catch (IOException ignored) {
                    // serving goes on when the log cannot be written
                }
            }
        }
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
