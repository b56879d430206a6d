package dev.pier.http.gzip;

import dev.pier.http.RegionReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;


/**
 * A zero-copy file body read in pieces instead ({@link RegionReader}), for a response that is compressed:
 * {@code ChunkedWriteHandler} asks for the next piece only while the channel is writable, so a large file is never
 * held in memory. Closing releases the region (which closes its file).
 */
final class FileRegionInput implements ChunkedInput<HttpContent> {
    /** A piece of a file: the encoder does not sync-flush after these (the rest of the file follows at once). */
    static final class FileChunk extends DefaultHttpContent {
        FileChunk(ByteBuf content) {
            super(content);
        }
    }

    private final RegionReader reader;

    FileRegionInput(FileRegion region) {
        this.reader = new RegionReader(region);
    }

    @Override
    public boolean isEndOfInput() {
        return reader.atEnd();
    }

    @Override
    public void close() {
        reader.close();
    }

    @Deprecated
    @Override
    public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator alloc) throws Exception {
        return reader.atEnd() ? null : new FileChunk(reader.read(alloc, reader.nextSize()));
    }

    @Override
    public long length() {
        return reader.length();
    }

    @Override
    public long progress() {
        return reader.progress();
    }
}
