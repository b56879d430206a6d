package dev.pier.http.staticfiles;

import dev.pier.http.RawFile;
import dev.pier.os.RawFiles;
import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * A looked-up file: its metadata and, for a regular file, an open read-only descriptor. Reference-counted because
 * {@code open_file_cache} shares one descriptor among the responses of its event loop: the cache holds a reference,
 * each response another (released when its last file region is), and the descriptor closes with the last one.
 *
 * <p>A file opened by {@link FileOpener}'s fast path holds a raw descriptor ({@link RawFiles}) and no
 * {@link FileChannel}: a small body is read from it directly, a large one sent from it by {@code sendfile}. A file
 * looked up through the JDK (a name beyond ASCII) holds a channel instead.
 *
 * @see OpenFileCache
 */
final class OpenFile extends AbstractReferenceCounted implements RawFile {
    /** A raw descriptor, or -1. */
    private final int fd;
    /** A JDK-opened regular file's channel, or null. */
    private final FileChannel channel;
    /** Deallocated: the descriptors are closed (a raw one's number may already belong to another file). */
    private boolean closed;
    private final boolean regular;
    private final long size;
    private final long mtimeMillis;
    private final boolean directory;
    /** The file's identity (device and inode), to tell a replaced file from a modified one. */
    private final Object fileKey;

    /** A file looked up through the JDK: {@code channel} is null for anything but a regular file. */
    OpenFile(FileChannel channel, long size, long mtimeMillis, boolean directory, Object fileKey) {
        this(-1, channel, channel != null, size, mtimeMillis, directory, fileKey);
    }

    private OpenFile(int fd, FileChannel channel, boolean regular, long size, long mtimeMillis, boolean directory,
                     Object fileKey) {
        this.fd = fd;
        this.channel = channel;
        this.regular = regular;
        this.size = size;
        this.mtimeMillis = mtimeMillis;
        this.directory = directory;
        this.fileKey = fileKey;
    }

    /** The device and inode of a file looked up by {@link RawFiles#fstat}. */
    record Key(long device, long inode) {
    }

    /** A regular file open as raw descriptor {@code fd} (owned from now on), with what {@code fstat} said of it. */
    static OpenFile raw(int fd, RawFiles.Stat st) {
        return new OpenFile(fd, null, true, st.size(), st.mtimeMillis(), false, new Key(st.device(), st.inode()));
    }

    boolean isRegularFile() {
        return regular;
    }

    /** A JDK-opened regular file's channel; null for a raw descriptor or a non-regular file. */
    FileChannel openedChannel() {
        return channel;
    }

    /** The descriptor is still open (tests: the last reference closes it). */
    boolean descriptorOpen() {
        return !closed && (fd >= 0 || channel != null && channel.isOpen());
    }

    @Override
    public int descriptor() {
        return closed ? -1 : fd;
    }

    @Override
    public int read(ByteBuf dst, long position, int length) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (fd < 0) {
            return dst.writeBytes(channel, position, length);
        }
        if (!dst.isDirect()) {
            throw new IllegalArgumentException("pread needs a direct buffer");
        }
        dst.ensureWritable(length);
        int at = dst.writerIndex();
        long address = dst.hasMemoryAddress() ? dst.memoryAddress() + at
                : MemorySegment.ofBuffer(dst.nioBuffer(at, length)).address();
        int n = RawFiles.pread(fd, address, length, position);
        if (n == 0) {
            return -1;
        }
        dst.writerIndex(at + n);
        return n;
    }

    long size() {
        return size;
    }

    long mtimeMillis() {
        return mtimeMillis;
    }

    boolean isDirectory() {
        return directory;
    }

    Object fileKey() {
        return fileKey;
    }

    @Override
    protected void deallocate() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only descriptor: nothing was lost
            }
        }
        if (fd >= 0) {
            RawFiles.close(fd);
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
