package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole request body read before the backend is connected ({@code proxy_request_buffering on}): kept in memory up
 * to {@code client_body_buffer_size}, then written to a temp file in {@code client_body_temp_path}, as nginx's
 * {@code ngx_http_read_client_request_body} does. The file is unlinked right after it is created, so it
 * disappears with its descriptor whatever happens to the request or the worker. Writes are plain file writes on
 * the event loop, as nginx's are; reads for sending go one piece at a time, after the previous write completed.
 * The body can be sent again from the start for {@code proxy_next_upstream} ({@link #rewind}).
 */
final class RequestSpool {
    static final int PIECE = 64 * 1024;

    private final ByteBufAllocator alloc;
    private final long memoryLimit;
    private final Path dir;
    private final java.util.List<Integer> levels;
    private final List<ByteBuf> memory = new ArrayList<>();
    private FileChannel file;
    private long size;
    // sending position
    private int memoryIndex;
    private long filePos;
    private boolean lastSent;

    RequestSpool(ByteBufAllocator alloc, long memoryLimit, Path dir) {
        this(alloc, memoryLimit, dir, java.util.List.of());
    }

    /** @param levels {@code client_body_temp_path}'s level widths ({@link TempFiles}) */
    RequestSpool(ByteBufAllocator alloc, long memoryLimit, Path dir, java.util.List<Integer> levels) {
        this.alloc = alloc;
        this.memoryLimit = memoryLimit;
        this.dir = dir;
        this.levels = levels;
    }

    /** Takes {@code b} (its reference); past the memory limit everything moves to the temp file. */
    void add(ByteBuf b) throws IOException {
        try {
            size += b.readableBytes();
            if (file == null && size <= memoryLimit) {
                memory.add(b.retain());
                return;
            }
            if (file == null) {
                file = open();
                for (ByteBuf m : memory) {
                    write(m);
                    m.release();
                }
                memory.clear();
            }
            write(b);
        } finally {
            b.release();
        }
    }

    private FileChannel open() throws IOException {
        return TempFiles.open(dir, levels);
    }

    private void write(ByteBuf b) throws IOException {
        ByteBuffer[] bufs = b.nioBuffers();
        long left = b.readableBytes();
        while (left > 0) {
            left -= file.write(bufs);
        }
    }

    long size() {
        return size;
    }

    /** Whether the body went to a temp file. */
    boolean inFile() {
        return file != null;
    }

    /** The next piece to send, the last one a {@link LastHttpContent}; null once the last was returned. */
    HttpContent next() throws IOException {
        if (lastSent) {
            return null;
        }
        ByteBuf b = null;
        if (file == null) {
            if (memoryIndex < memory.size()) {
                b = memory.get(memoryIndex++).retainedDuplicate();
            }
            boolean last = memoryIndex >= memory.size();
            return piece(b, last);
        }
        int n = (int) Math.min(PIECE, size - filePos);
        if (n > 0) {
            b = alloc.ioBuffer(n);
            try {
                while (b.writerIndex() < n) {
                    int r = b.writeBytes(file, filePos + b.writerIndex(), n - b.writerIndex());
                    if (r < 0) {
                        throw new IOException("temp file truncated");
                    }
                }
            } catch (IOException | RuntimeException e) {
                b.release();
                throw e;
            }
            filePos += n;
        }
        return piece(b, filePos >= size);
    }

    private HttpContent piece(ByteBuf b, boolean last) {
        if (!last) {
            return new DefaultHttpContent(b);
        }
        lastSent = true;
        return b == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(b);
    }

    /** Sends from the start again (a retry on the next peer). */
    void rewind() {
        memoryIndex = 0;
        filePos = 0;
        lastSent = false;
    }

    /** Frees the memory part and closes (so deletes) the temp file. */
    void release() {
        memory.forEach(ReferenceCountUtil::release);
        memory.clear();
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // the descriptor is gone either way
            }
            file = null;
        }
    }
}
