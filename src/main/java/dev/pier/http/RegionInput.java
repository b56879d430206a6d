package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;

/**
 * A file region as Netty's {@link ChunkedInput}, read piece by piece by a {@link RegionReader}: the end, length,
 * progress and closing every such input shares. Subclasses decide what one piece is ({@link #readChunk(
 * io.netty.buffer.ByteBufAllocator)}); closing releases the region (which closes its file).
 */
public abstract class RegionInput<T> implements ChunkedInput<T> {
    protected final RegionReader reader;

    protected RegionInput(FileRegion region) {
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
    public T readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
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
