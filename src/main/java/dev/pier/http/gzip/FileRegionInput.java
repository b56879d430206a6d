package dev.pier.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A zero-copy file body read in {@link #CHUNK}-byte pieces instead, for a response that is compressed: the region
 * is copied into pooled buffers through {@link FileRegion#transferTo} (the one way to read any region), and
 * {@code ChunkedWriteHandler} asks for the next piece only while the channel is writable, so a large file is never
 * held in memory. Closing releases the region (which closes its file).
 */
final class FileRegionInput implements ChunkedInput<HttpContent> {
    static final int CHUNK = 32 * 1024;

    /** A piece of a file: the encoder does not sync-flush after these (the rest of the file follows at once). */
    static final class FileChunk extends DefaultHttpContent {
        FileChunk(ByteBuf content) {
            super(content);
        }
    }

    private final FileRegion region;
    private long done;
    private boolean closed;

    FileRegionInput(FileRegion region) {
        this.region = region;
    }

    @Override
    public boolean isEndOfInput() {
        return done >= region.count();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            region.release();
        }
    }

    @Deprecated
    @Override
    public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator alloc) throws Exception {
        if (isEndOfInput()) {
            return null;
        }
        int want = (int) Math.min(CHUNK, region.count() - done);
        ByteBuf buf = alloc.buffer(want, want);
        try {
            long n = region.transferTo(new Sink(buf), done);
            if (n <= 0) {
                throw new IOException("file region ended at " + done + " of " + region.count() + " bytes");
            }
            done += n;
            return new FileChunk(buf);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return region.count();
    }

    @Override
    public long progress() {
        return done;
    }

    /** Takes bytes until {@code buf} is full, then reports a short write so the transfer stops. */
    private static final class Sink implements WritableByteChannel {
        private final ByteBuf buf;

        Sink(ByteBuf buf) {
            this.buf = buf;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), buf.maxWritableBytes());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            buf.writeBytes(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the buffer belongs to the caller
        }
    }
}
