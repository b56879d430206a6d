package dev.pier.http.staticfiles;

import dev.pier.config.bind.FileIoConf;
import dev.pier.http.EventClock;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nginx's {@code open_file_cache} for one event loop (no locks: each worker thread has its own, as each nginx worker
 * process has): open descriptors with their size, mtime and type, and with {@code open_file_cache_errors on} the
 * errors of failed lookups. An entry is trusted for {@code open_file_cache_valid}, then looked up again (a file
 * replaced or modified meanwhile is served afresh); a descriptor is kept only after {@code open_file_cache_min_uses}
 * uses; beyond {@code max} entries the least recently used goes, and so does any entry unused for {@code inactive}.
 * The cache holds one reference on each {@link OpenFile}; a response holds its own until its body is sent.
 */
final class OpenFileCache {
    /** One cache per configuration and event loop; levels that inherit {@code open_file_cache} share it. */
    private static final FastThreadLocal<Map<Object, OpenFileCache>> CACHES = new FastThreadLocal<>() {
        @Override
        protected Map<Object, OpenFileCache> initialValue() {
            return new HashMap<>();
        }
    };

    private record Key(String path, FileIoConf.Symlinks mode, String from) {
    }

    /** A file or a remembered error, with its use count and clocks (nanoTime). */
    private static final class Entry {
        OpenFile file;
        IOException error;
        long validatedAt;
        long lastUse;
        int uses;
    }

    private final FileIoConf.OpenFileCache limits;
    private final long validNanos;
    private final int minUses;
    private final boolean errors;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    OpenFileCache(FileIoConf.OpenFileCache limits, long validNanos, int minUses, boolean errors) {
        this.limits = limits;
        this.validNanos = validNanos;
        this.minUses = Math.max(1, minUses);
        this.errors = errors;
    }

    /** This thread's cache for {@code conf}, or null with {@code open_file_cache off}. */
    static OpenFileCache of(FileIoConf conf) {
        if (conf.openFileCache().isEmpty()) {
            return null;
        }
        return CACHES.get().computeIfAbsent(conf, c -> new OpenFileCache(conf.openFileCache().get(),
                conf.valid().toNanos(), conf.minUses(), conf.cacheErrors()));
    }

    /** Looks a file up with or without {@code cache}; the caller owns one reference on the result. */
    static OpenFile open(OpenFileCache cache, Path path, FileOpener.Symlinks symlinks) throws IOException {
        return cache == null ? FileOpener.open(path, symlinks, true)
                : cache.open(path, symlinks, EventClock.nanoTime());
    }

    OpenFile open(Path path, FileOpener.Symlinks symlinks, long now) throws IOException {
        expire(now);
        Key key = new Key(path.toString(), symlinks.mode(), symlinks.from());
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry();
            e.validatedAt = now;
            entries.put(key, e);
            trim();
        } else if (now - e.validatedAt >= validNanos) {
            drop(e);
            e.validatedAt = now;
        }
        e.lastUse = now;
        e.uses++;
        if (e.file != null) {
            return (OpenFile) e.file.retain();
        }
        if (e.error != null) {
            throw e.error;
        }
        OpenFile f;
        try {
            f = FileOpener.open(path, symlinks, true);
        } catch (FileSystemException ex) {
            if (errors) {
                e.error = ex;
            }
            throw ex;
        }
        if (e.uses >= minUses) {
            e.file = (OpenFile) f.retain(); // the cache's own reference
        }
        return f;
    }

    /** Entries in use order: the eldest unused for {@code inactive} go. */
    private void expire(long now) {
        long inactive = limits.inactive().toNanos();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastUse < inactive) {
                return;
            }
            drop(e);
            it.remove();
        }
    }

    private void trim() {
        for (Iterator<Entry> it = entries.values().iterator(); entries.size() > limits.max() && it.hasNext(); ) {
            drop(it.next());
            it.remove();
        }
    }

    private static void drop(Entry e) {
        if (e.file != null) {
            e.file.release();
            e.file = null;
        }
        e.error = null;
    }

    /** How many entries are held (tests). */
    int size() {
        return entries.size();
    }
}
