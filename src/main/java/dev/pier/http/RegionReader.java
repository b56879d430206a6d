package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FileRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Reads a zero-copy file body ({@link FileRegion}) into buffers instead, piece by piece, through
 * {@link FileRegion#transferTo} (the one way to read any region): for {@code sendfile off}, {@code limit_rate} and
 * compressed responses, whose {@code ChunkedInput}s wrap one of these. Closing releases the region (which closes its
 * file); a reader is confined to its event loop.
 */
public final class RegionReader {
    /** How much one piece holds at most. */
    public static final int CHUNK = 32 * 1024;

    private final FileRegion region;
    private long done;
    private boolean closed;

    public RegionReader(FileRegion region) {
        this.region = region;
    }

    public boolean atEnd() {
        return done >= region.count();
    }

    public long length() {
        return region.count();
    }

    public long progress() {
        return done;
    }

    /** The size of the next piece: {@link #CHUNK} or what is left. */
    public int nextSize() {
        return (int) Math.min(CHUNK, region.count() - done);
    }

    /** The next {@code n} bytes (at most what is left) in a new buffer of the caller's. */
    public ByteBuf read(ByteBufAllocator alloc, int n) throws IOException {
        ByteBuf buf = alloc.buffer(n, n);
        try {
            if (region.transferTo(new Into(buf), done) <= 0) {
                throw new IOException("file shrank: region ended at " + done + " of " + region.count() + " bytes");
            }
            done += buf.readableBytes();
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    public boolean closed() {
        return closed;
    }

    public void close() {
        if (!closed) {
            closed = true;
            region.release();
        }
    }

    /**
     * A channel that fills a bounded buffer and then accepts nothing more, which ends the transfer. A
     * {@link SendfileRegion} reads straight into its buffer.
     */
    record Into(ByteBuf buf) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), buf.writableBytes());
            buf.writeBytes(src.slice(src.position(), n));
            src.position(src.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the buffer belongs to the reader's caller
        }
    }
}
