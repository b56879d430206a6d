package dev.pier.http.charset;

import dev.pier.http.RegionReader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;

/**
 * A zero-copy file body read in pieces instead, for a response that is recoded: {@code ChunkedWriteHandler} asks
 * for the next piece only while the channel is writable, so the file is never held whole. Closing releases the
 * region.
 */
final class RegionInput implements ChunkedInput<HttpContent> {
    private final RegionReader reader;

    RegionInput(FileRegion region) {
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
        return reader.atEnd() ? null : new DefaultHttpContent(reader.read(alloc, reader.nextSize()));
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
