package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;

/**
 * A zero-copy file body read in pieces instead ({@link RegionReader}), for a response a module transforms (gzip,
 * charset recoding): {@code ChunkedWriteHandler} asks for the next piece only while the channel is writable, so a
 * large file is never held in memory. Closing releases the region (which closes its file).
 */
public final class FileChunks extends RegionInput<HttpContent> {
    /** A piece of a file: the rest of the file follows at once (gzip does not sync-flush after these). */
    public static final class Piece extends DefaultHttpContent {
        Piece(ByteBuf content) {
            super(content);
        }
    }

    public FileChunks(FileRegion region) {
        super(region);
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator alloc) throws Exception {
        return reader.atEnd() ? null : new Piece(reader.read(alloc, reader.nextSize()));
    }
}
