package dev.pier.http.staticfiles;

import dev.pier.http.RegionInput;
import dev.pier.http.RegionReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.util.concurrent.TimeUnit;

/**
 * {@code sendfile off}: turns the file regions of a response into {@link ChunkedInput}s of 32 KiB buffers, which
 * Netty's {@code ChunkedWriteHandler} (next towards the socket) reads only while the channel is writable. Other
 * messages, and every region while switched off, pass as they are. With {@code limit_rate} (which buffers even with
 * {@code sendfile on}) a chunk is read only when the response's {@link Pace} allows it; otherwise the transfer is
 * suspended and resumed by a timer on the event loop.
 */
final class BufferedFileWriter extends ChannelOutboundHandlerAdapter {
    private boolean active;
    /** The {@code limit_rate} of the response written next, or null. */
    private Pace pace;

    /** Whether the regions of the response written next are read into buffers, and at what pace (null: at once). */
    void next(boolean buffered, Pace pace) {
        this.active = buffered || pace != null;
        this.pace = pace;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (active && msg instanceof FileRegion region) {
            // ChunkedWriteHandler reports failures on the promise: a void one would fire an exception instead
            ctx.write(new RegionChunks(region, pace, ctx), promise.isVoid() ? ctx.newPromise() : promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /** A file region read piece by piece ({@link RegionReader}), at the response's pace; closing releases it. */
    static final class RegionChunks extends RegionInput<ByteBuf> {
        private final Pace pace;
        private final ChannelHandlerContext ctx;
        private boolean resumeScheduled;

        RegionChunks(FileRegion region, Pace pace, ChannelHandlerContext ctx) {
            super(region);
            this.pace = pace;
            this.ctx = ctx;
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) throws Exception {
            if (reader.atEnd()) {
                return null;
            }
            int n = reader.nextSize();
            if (pace != null) {
                long now = System.nanoTime();
                long allowed = pace.allowance(now);
                if (allowed <= 0) {
                    waitFor(pace.delayNanos(now, Math.min(n, 4096)));
                    return null; // ChunkedWriteHandler suspends until resumeTransfer()
                }
                n = (int) Math.min(n, allowed);
                pace.sent(n);
            }
            return reader.read(alloc, n);
        }

        /** Resumes the transfer when the pace allows more (the chunk writer sits next to this handler). */
        private void waitFor(long nanos) {
            if (resumeScheduled) {
                return;
            }
            resumeScheduled = true;
            ctx.executor().schedule(() -> {
                resumeScheduled = false;
                if (!reader.closed() && ctx.pipeline().get(FileTransfer.CHUNKS) instanceof ChunkedWriteHandler w) {
                    w.resumeTransfer();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }

    }
}
