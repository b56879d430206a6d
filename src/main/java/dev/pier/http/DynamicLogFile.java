package dev.pier.http;

import dev.pier.config.bind.OpenLogFileCache;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An access log file whose path came from variables, with nginx's {@code open_log_file_cache} bookkeeping: event
 * loops count uses, the writer thread decides when the descriptor closes ({@link AccessLogs}). Without a cache the
 * file is closed after each write, as nginx opens and closes it per line.
 */
final class DynamicLogFile {
    final AccessLogFile file;
    final Optional<OpenLogFileCache> cache;
    private final AtomicLong uses = new AtomicLong();
    private volatile long lastUsed;
    /** When the writer first saw the descriptor open; 0 while closed. Writer thread only. */
    long openedAt;

    DynamicLogFile(AccessLogFile file, Optional<OpenLogFileCache> cache) {
        this.file = file;
        this.cache = cache;
        this.lastUsed = System.nanoTime();
    }

    void used() {
        uses.incrementAndGet();
        lastUsed = System.nanoTime();
    }

    long lastUsed() {
        return lastUsed;
    }

    /**
     * The writer's decision after draining: {@code true} when the entry was retired (idle and unused for
     * {@code inactive}, or uncached and idle) and must leave the table. Writer thread only.
     */
    boolean expire(long now) {
        if (file.isOpen()) {
            if (openedAt == 0) {
                openedAt = now;
            }
        } else {
            openedAt = 0;
        }
        if (cache.isEmpty()) {
            close();
            return file.retireIfIdle();
        }
        OpenLogFileCache c = cache.get();
        if (now - lastUsed >= c.inactive().toNanos()) {
            close();
            return file.retireIfIdle();
        }
        if (uses.get() < c.minUses() || (openedAt != 0 && now - openedAt >= c.valid().toNanos())) {
            close(); // not used enough to stay open yet, or time to look the name up again (rotation)
        }
        return false;
    }

    void close() {
        file.closeChannel();
        openedAt = 0;
    }
}
