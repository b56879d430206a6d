package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The part of a buffered response ({@code proxy_buffering on}) that did not fit the memory buffers while the client
 * was slower than the backend: a FIFO in a temp file under {@code proxy_temp_path}, as nginx's event pipe writes
 * ({@code ngx_event_pipe_write_chain_to_temp_file}). The file is opened on first use and unlinked at once (nginx's
 * non-persistent temp files are too), so it vanishes with its descriptor whatever happens to the request or the
 * worker; {@link #close} releases it.
 *
 * <p>Writes and reads are plain blocking file calls on the event loop, as nginx's are: each write call carries at
 * most {@code proxy_temp_file_write_size} bytes (8k by default) and each read at most one client piece, so the loop
 * is held for a page-cache copy at a time, never for a disk flush. {@code proxy_max_temp_file_size} bounds what the
 * file holds; once the reader has caught up with the writer the file is emptied and reused (nginx lets it grow
 * for the whole response), so the bound is on the backlog, not on the response.
 */
final class ResponseSpool {
    private final Path dir;
    private final java.util.List<Integer> levels;
    private final long max;
    private final int writeSize;
    private FileChannel file;
    private long writePos;
    private long readPos;

    /**
     * @param dir       {@code proxy_temp_path}
     * @param max       {@code proxy_max_temp_file_size}, positive
     * @param writeSize bytes per write call, positive
     */
    ResponseSpool(Path dir, long max, int writeSize) {
        this(dir, java.util.List.of(), max, writeSize);
    }

    /** @param levels {@code proxy_temp_path}'s level widths ({@link TempFiles}) */
    ResponseSpool(Path dir, java.util.List<Integer> levels, long max, int writeSize) {
        this.levels = levels;
        if (max <= 0 || writeSize <= 0) {
            throw new IllegalArgumentException("max " + max + ", writeSize " + writeSize);
        }
        this.dir = dir;
        this.max = max;
        this.writeSize = writeSize;
    }

    /** Bytes written and not yet read back. */
    boolean pending() {
        return readPos < writePos;
    }

    /** Whether the file may take more ({@code proxy_max_temp_file_size} not reached). */
    boolean hasRoom() {
        return writePos < max;
    }

    /** Whether a temp file is open now. */
    boolean opened() {
        return file != null;
    }

    /** Appends {@code b}'s readable bytes (the caller keeps its reference), {@code writeSize} per call. */
    void add(ByteBuf b) throws IOException {
        if (file == null) {
            file = TempFiles.open(dir, levels);
        }
        int from = b.readerIndex();
        int end = b.writerIndex();
        while (from < end) {
            int n = Math.min(writeSize, end - from);
            ByteBuffer slice = b.nioBuffer(from, n);
            while (slice.hasRemaining()) {
                writePos += file.write(slice, writePos);
            }
            from += n;
        }
    }

    /**
     * The next bytes to send, at most {@code limit}, or null when nothing is pending. Once everything written was
     * read back the file is truncated and both positions start over.
     */
    ByteBuf read(ByteBufAllocator alloc, int limit) throws IOException {
        if (!pending()) {
            return null;
        }
        int n = (int) Math.min(limit, writePos - readPos);
        ByteBuf b = alloc.ioBuffer(n);
        try {
            while (b.writerIndex() < n) {
                int r = b.writeBytes(file, readPos + b.writerIndex(), n - b.writerIndex());
                if (r < 0) {
                    throw new IOException("temp file truncated");
                }
            }
        } catch (IOException | RuntimeException e) {
            b.release();
            throw e;
        }
        readPos += n;
        if (readPos == writePos) {
            file.truncate(0);
            readPos = 0;
            writePos = 0;
        }
        return b;
    }

    /** Closes (so deletes) the temp file; safe to call twice. */
    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // the descriptor is gone either way
            }
            file = null;
        }
        readPos = 0;
        writePos = 0;
    }
}
