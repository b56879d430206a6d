package dev.pier.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's open error log files by path: every {@link ErrorLog} of one configuration (main, http, server and
 * location levels) shares them, so a file is opened once and USR1 reopens each once.
 */
final class LogFiles {
    private final Map<Path, LogFile> files = new LinkedHashMap<>();
    private final LogFile stderr = new LogFile(null);

    /** The file for {@code path} ({@code null}: stderr), opened on first use; an open failure is thrown. */
    synchronized LogFile get(Path path) throws IOException {
        if (path == null) {
            return stderr;
        }
        LogFile f = files.get(path);
        if (f == null) {
            f = new LogFile(path);
            f.reopen();
            files.put(path, f);
        }
        return f;
    }

    /** USR1: re-opens every file; the first failure is thrown after all were tried. */
    void reopenAll() throws IOException {
        IOException first = null;
        for (LogFile f : snapshot()) {
            try {
                f.reopen();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    void closeAll() {
        for (LogFile f : snapshot()) {
            f.close();
        }
    }

    private synchronized List<LogFile> snapshot() {
        return new ArrayList<>(files.values());
    }
}
