package dev.pier.http;

import dev.pier.log.ErrorLog;

import dev.pier.config.bind.OpenLogFileCache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker's access log files (nginx's {@code cycle->open_files}) and the one thread that writes them, so an event
 * loop never waits for a disk. Created by {@link HttpRuntime#compile}; the worker calls {@link #reopen()} on USR1 and
 * {@link #flushAndClose()} once its last connection closed. Files open on their first line, so a runtime compiled and
 * never used (warm-up, {@code -t}) opens nothing and starts no thread.
 */
public final class AccessLogs {
    private static final long IDLE_WAKE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * After writing, the writer lets lines gather this long before it looks again: under load an unbuffered file's
     * lines then go out a millisecond's worth to one {@code write} (nginx makes one per line), and the event loops
     * wake the writer once per batch, not once per line.
     */
    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ErrorLog errors;
    private final boolean discard;
    private final Map<Path, AccessLogFile> files = new ConcurrentHashMap<>();
    /** Files of paths with variables, by rendered path; the writer retires them (open_log_file_cache). */
    private final Map<Path, DynamicLogFile> dynamic = new ConcurrentHashMap<>();
    private Thread writer;
    private volatile boolean closing;
    private volatile CompletableFuture<Void> reopenRequest;

    public AccessLogs(ErrorLog errors) {
        this(errors, false);
    }

    private AccessLogs(ErrorLog errors, boolean discard) {
        this.errors = errors;
        this.discard = discard;
    }

    /** Logs that drop every line: for runtimes that serve synthetic requests (a spare worker's warm-up). */
    public static AccessLogs discarding() {
        return new AccessLogs(ErrorLog.silent(), true);
    }

    boolean discards() {
        return discard;
    }

    ErrorLog errors() {
        return errors;
    }

    /** The file for {@code path}; several {@code access_log} lines naming one path share it (the first's buffer). */
    public AccessLogFile file(Path path, long bufferSize, long flushMillis) {
        return files.computeIfAbsent(path, p -> new AccessLogFile(this, p, bufferSize, flushMillis));
    }

    /**
     * Writes {@code line} to the file of a path rendered from variables: never buffered, kept open only as
     * {@code cache} ({@code open_log_file_cache}) allows, created by the worker (its user needs write access to the
     * directory, as nginx's).
     */
    public void writeDynamic(Path path, Optional<OpenLogFileCache> cache, byte[] line) {
        while (true) {
            DynamicLogFile d = dynamic.computeIfAbsent(path,
                    p -> new DynamicLogFile(new AccessLogFile(this, p, 0, 0), cache));
            d.used();
            if (d.file.write(line)) {
                return;
            }
            dynamic.remove(path, d); // retired by the writer between lookup and write: take a fresh one
        }
    }

    void lineAdded(AccessLogFile file, boolean urgent) {
        Thread w = writer;
        if (w == null) {
            w = start();
            if (w == null) {
                file.drain(); // closed already: a straggler is written by its caller rather than lost
                return;
            }
        }
        if (closing) {
            joinQuietly(w, 100); // only after flushAndClose: a straggler is written by its caller, not lost
            file.drain();
        } else if (urgent) {
            LockSupport.unpark(w);
        }
    }

    private synchronized Thread start() {
        if (writer == null && !closing) {
            writer = Thread.ofPlatform().daemon().name("access-log-writer").start(this::run);
        }
        return closing ? null : writer;
    }

    /**
     * USR1: writes what is buffered to the old files, then opens each path anew (after rotation it is a new file).
     * Blocks the caller (the worker's control thread, never an event loop) until done, at most 10 s.
     */
    public void reopen() {
        Thread w;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            w = writer;
            if (w == null || closing) {
                return; // nothing open yet: the next line opens the new file
            }
            reopenRequest = done;
        }
        LockSupport.unpark(w);
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            errors.alert("access log reopen did not finish: " + e);
        }
    }

    /** Graceful exit: writes every pending line, closes the files and stops the writer (waits at most 10 s). */
    public void flushAndClose() {
        Thread w;
        synchronized (this) {
            closing = true;
            w = writer;
        }
        if (w == null) {
            return;
        }
        LockSupport.unpark(w);
        joinQuietly(w, TimeUnit.SECONDS.toMillis(10));
    }

    /** {@code open_log_file_cache max=}: past {@code max} open descriptors of one cache, the least recent close. */
    private void closeLeastRecentlyUsed() {
        Map<OpenLogFileCache, List<DynamicLogFile>> open = new HashMap<>();
        for (DynamicLogFile d : dynamic.values()) {
            if (d.cache.isPresent() && d.file.isOpen()) {
                open.computeIfAbsent(d.cache.get(), k -> new ArrayList<>()).add(d);
            }
        }
        open.forEach((cache, list) -> {
            if (list.size() > cache.max()) {
                list.sort(Comparator.comparingLong(DynamicLogFile::lastUsed));
                for (DynamicLogFile d : list.subList(0, list.size() - cache.max())) {
                    d.close();
                }
            }
        });
    }

    /** {@link #BATCH_NANOS} of sleep that a new line does not cut short (a reopen or the exit does). */
    private void gather() {
        long until = System.nanoTime() + BATCH_NANOS;
        for (long left = BATCH_NANOS; left > 0 && !closing && reopenRequest == null;
             left = until - System.nanoTime()) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            boolean last = closing;
            CompletableFuture<Void> reopen = reopenRequest;
            long now = System.nanoTime();
            long wait = IDLE_WAKE_NANOS;
            boolean wrote = false;
            for (AccessLogFile f : List.copyOf(files.values())) {
                if (last || reopen != null || f.due(now)) {
                    wrote |= f.drain();
                }
                if (last || reopen != null) {
                    f.closeChannel();
                }
                wait = Math.min(wait, f.nanosUntilDue(now));
            }
            for (DynamicLogFile d : List.copyOf(dynamic.values())) {
                AccessLogFile f = d.file;
                if (last || reopen != null || f.due(now)) {
                    wrote |= f.drain();
                }
                if (last || reopen != null) {
                    d.close();
                } else if (d.expire(now)) {
                    dynamic.remove(f.path(), d);
                }
            }
            closeLeastRecentlyUsed();
            if (reopen != null) {
                synchronized (this) {
                    if (reopenRequest == reopen) {
                        reopenRequest = null;
                    }
                }
                reopen.complete(null);
            }
            if (last) {
                return;
            }
            if (wrote) {
                gather();
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }
}
