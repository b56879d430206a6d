package dev.pier.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One access log file of a worker: event loops append lines to memory ({@link #write}), the {@link AccessLogs}
 * writer thread does the file I/O. Unbuffered files are written as soon as the writer wakes (within about a
 * millisecond: {@link AccessLogs#BATCH_NANOS}); buffered ones when {@code buffer=} bytes are pending or the oldest
 * line is {@code flush=} old, and always on reopen and exit.
 */
public final class AccessLogFile {
    /** Lines pile up in memory only while the disk is stuck; past this they are dropped and counted. */
    static final int MAX_PENDING = 16 * 1024 * 1024;
    static final long FAILURE_REPORT_INTERVAL_NANOS = 60_000_000_000L;

    private final AccessLogs owner;
    private final Path path;
    private final long bufferSize;
    private final long flushNanos;
    /** Lines not yet written: {@code pendingSize} bytes of {@code pending}, under this object's lock. */
    private byte[] pending;
    private int pendingSize;
    private long firstPendingAt;
    private long dropped;
    /** Writer thread only: when a failed write was last reported, and bytes lost since (nginx: once a minute). */
    private long lastFailureReport;
    private boolean failureReported;
    private long lostSinceReport;
    /** A file with a variable path that left the table: writers look it up again ({@link DynamicLogFile}). */
    private boolean retired;
    /** Touched by the writer thread only (or by the caller after the writer stopped). */
    private FileChannel channel;

    AccessLogFile(AccessLogs owner, Path path, long bufferSize, long flushMillis) {
        this.owner = owner;
        this.path = path;
        this.bufferSize = bufferSize;
        this.flushNanos = flushMillis > 0 ? flushMillis * 1_000_000 : Long.MAX_VALUE;
        this.pending = new byte[initialCapacity()];
    }

    /** Room for a buffer's worth (up to 1 MiB), or for a few lines of an unbuffered file written together. */
    private int initialCapacity() {
        return bufferSize == 0 ? 4096 : (int) Math.max(256, Math.min(bufferSize, 1 << 20));
    }

    public Path path() {
        return path;
    }

    /**
     * Appends a whole line (with its '\n'); never blocks on I/O. {@code false} only for a file of a variable path
     * that was retired meanwhile: the caller asks {@link AccessLogs} for the path again.
     *
     * <p>The writer thread is woken by the line that makes the file due: the first one after the writer took what
     * was pending (unbuffered), or the one that fills the buffer. Lines that come while it is awake join what it
     * takes next, so a busy loop's lines go out several to a {@code write} and cost no wake-up each.
     */
    public boolean write(byte[] line) {
        if (owner.discards()) {
            return true;
        }
        boolean urgent;
        synchronized (this) {
            if (retired) {
                return false;
            }
            int before = pendingSize;
            if (before + line.length > MAX_PENDING) {
                dropped++;
                return true;
            }
            if (before == 0) {
                firstPendingAt = System.nanoTime();
            }
            if (before + line.length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(before + line.length, 2 * pending.length));
            }
            System.arraycopy(line, 0, pending, before, line.length);
            pendingSize = before + line.length;
            urgent = bufferSize == 0 ? before == 0 : before < bufferSize && pendingSize >= bufferSize;
        }
        owner.lineAdded(this, urgent);
        return true;
    }

    /** Retires the file if nothing is pending, so no line can be left behind in it. */
    synchronized boolean retireIfIdle() {
        if (pendingSize == 0) {
            retired = true;
        }
        return retired;
    }

    /** Whether the descriptor is open. Writer thread only. */
    boolean isOpen() {
        return channel != null;
    }

    /** Whether pending lines should be written now. */
    synchronized boolean due(long now) {
        return pendingSize > 0 && (bufferSize == 0 || pendingSize >= bufferSize
                || now - firstPendingAt >= flushNanos);
    }

    /** Nanoseconds until the oldest pending line must be written; {@code Long.MAX_VALUE} if none waits on time. */
    synchronized long nanosUntilDue(long now) {
        if (pendingSize == 0 || flushNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, firstPendingAt + flushNanos - now);
    }

    private synchronized ByteBuffer take() {
        if (pendingSize == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(pending, 0, pendingSize);
        pending = new byte[initialCapacity()];
        pendingSize = 0;
        return b;
    }

    private synchronized long takeDropped() {
        long d = dropped;
        dropped = 0;
        return d;
    }

    /** Writes whatever is pending; true if there was something. Writer thread only. */
    boolean drain() {
        long d = takeDropped();
        if (d > 0) {
            owner.errors().alert(d + " access log lines to \"" + path + "\" were dropped: writes are not keeping up");
        }
        ByteBuffer buf = take();
        if (buf == null) {
            return false;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            // a full disk fails every write: report it at most once per interval, not once per request, as
            // nginx's ngx_http_log_write does (error_log_time, at most one alert every 60 s per log)
            lostSinceReport += buf.remaining();
            long now = System.nanoTime();
            if (!failureReported || now - lastFailureReport >= FAILURE_REPORT_INTERVAL_NANOS) {
                owner.errors().alert("write() to \"" + path + "\" failed (" + e.getMessage() + "), "
                        + lostSinceReport + " bytes of access log lost");
                failureReported = true;
                lastFailureReport = now;
                lostSinceReport = 0;
            }
            closeChannel();
        }
        return true;
    }

    /** Closes the file; the next write opens the path again (USR1 rotation, exit). Writer thread only. */
    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the data was written or reported already
            }
            channel = null;
        }
    }
}
