package dev.pier.http;

import dev.pier.os.RawFiles;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.channel.unix.SocketWritableByteChannel;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A zero-copy file body sent with {@code sendfile(2)} from the file's own descriptor, as nginx sends one: a
 * {@code DefaultFileRegion} needs a {@code FileChannel}, which costs another open (of {@code /proc/self/fd/N}) and
 * close per response. Netty's epoll transport hands a region of its own kind to {@link #transferTo} with the socket's
 * channel: there {@code sendfile} runs, on the socket this region was made for. The buffered paths
 * ({@code sendfile off}, {@code limit_rate}, gzip, charset, through {@link RegionReader}) get the bytes read with
 * {@code pread} straight into their buffer; any other target through a buffer of its own. Holds a reference on the
 * file while it lives.
 */
final class SendfileRegion extends AbstractReferenceCounted implements FileRegion {
    private final RawFile file;
    private final int socket;
    private final long position;
    private final long count;
    private long transferred;

    /** {@code count} bytes of {@code file} from {@code position}, for the socket with descriptor {@code socket}. */
    SendfileRegion(RawFile file, int socket, long position, long count) {
        this.file = file;
        this.socket = socket;
        this.position = position;
        this.count = count;
        file.retain();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferTo(WritableByteChannel target, long at) throws IOException {
        long left = count - at;
        if (left < 0 || at < 0) {
            throw new IllegalArgumentException("position out of range: " + at + " (expected: 0 - " + count + ")");
        }
        if (left == 0) {
            return 0;
        }
        if (refCnt() == 0) {
            throw new IllegalReferenceCountException(0);
        }
        long n;
        if (target instanceof SocketWritableByteChannel) {
            n = RawFiles.sendfile(socket, file.descriptor(), position + at, left);
            if (n < 0) {
                throw new IOException("file shrank: region ended at " + at + " of " + count + " bytes");
            }
        } else if (target instanceof RegionReader.Into into && into.buf().isDirect()) {
            int room = (int) Math.min(left, into.buf().writableBytes());
            n = room == 0 ? 0 : Math.max(0, file.read(into.buf(), position + at, room)); // no copy in between
        } else {
            n = copy(target, position + at, (int) Math.min(left, RegionReader.CHUNK));
        }
        transferred += n;
        return n;
    }

    /** Reads {@code length} bytes at {@code offset} and writes what {@code target} takes of them; 0 at the end. */
    private long copy(WritableByteChannel target, long offset, int length) throws IOException {
        ByteBuf tmp = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
        try {
            if (file.read(tmp, offset, length) <= 0) {
                return 0;
            }
            return target.write(tmp.nioBuffer());
        } finally {
            tmp.release();
        }
    }

    @Override
    protected void deallocate() {
        file.release();
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
