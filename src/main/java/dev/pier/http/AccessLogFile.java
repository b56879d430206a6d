package dev.pier.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One access log file of a worker: event loops append lines to memory ({@link #write}), the {@link AccessLogs}
 * writer thread does the file I/O. Unbuffered files are written as soon as the writer wakes; buffered ones when
 * {@code buffer=} bytes are pending or the oldest line is {@code flush=} old, and always on reopen and exit.
 */
public final class AccessLogFile {
    /** Lines pile up in memory only while the disk is stuck; past this they are dropped and counted. */
    static final int MAX_PENDING = 16 * 1024 * 1024;
    static final long FAILURE_REPORT_INTERVAL_NANOS = 60_000_000_000L;

    private final AccessLogs owner;
    private final Path path;
    private final long bufferSize;
    private final long flushNanos;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
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
    }

    public Path path() {
        return path;
    }

    /**
     * Appends a whole line (with its '\n'); never blocks on I/O. {@code false} only for a file of a variable path
     * that was retired meanwhile: the caller asks {@link AccessLogs} for the path again.
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
            if (pending.size() + line.length > MAX_PENDING) {
                dropped++;
                return true;
            }
            if (pending.size() == 0) {
                firstPendingAt = System.nanoTime();
            }
            pending.write(line, 0, line.length);
            urgent = bufferSize == 0 || pending.size() >= bufferSize;
        }
        owner.lineAdded(this, urgent);
        return true;
    }

    /** Retires the file if nothing is pending, so no line can be left behind in it. */
    synchronized boolean retireIfIdle() {
        if (pending.size() == 0) {
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
        return pending.size() > 0 && (bufferSize == 0 || pending.size() >= bufferSize
                || now - firstPendingAt >= flushNanos);
    }

    /** Nanoseconds until the oldest pending line must be written; {@code Long.MAX_VALUE} if none waits on time. */
    synchronized long nanosUntilDue(long now) {
        if (pending.size() == 0 || flushNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, firstPendingAt + flushNanos - now);
    }

    private synchronized byte[] take() {
        if (pending.size() == 0) {
            return null;
        }
        byte[] b = pending.toByteArray();
        pending = new ByteArrayOutputStream(Math.max(256, (int) Math.min(bufferSize, 1 << 20)));
        return b;
    }

    private synchronized long takeDropped() {
        long d = dropped;
        dropped = 0;
        return d;
    }

    /** Writes whatever is pending. Writer thread only. */
    void drain() {
        long d = takeDropped();
        if (d > 0) {
            owner.errors().alert(d + " access log lines to \"" + path + "\" were dropped: writes are not keeping up");
        }
        byte[] b = take();
        if (b == null) {
            return;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            // a full disk fails every write: report it at most once per interval, not once per request, as
            // nginx's ngx_http_log_write does (error_log_time, at most one alert every 60 s per log)
            lostSinceReport += b.length;
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
