package dev.pier.http.staticfiles;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A looked-up file: its metadata and, for a regular file, an open read-only descriptor. Reference-counted because
 * {@code open_file_cache} shares one descriptor among the responses of its event loop: the cache holds a reference,
 * each response another (released when its last file region is), and the descriptor closes with the last one.
 *
 * @see OpenFileCache
 */
final class OpenFile extends AbstractReferenceCounted {
    private final FileChannel channel;
    private final long size;
    private final long mtimeMillis;
    private final boolean directory;
    /** The file's identity (device and inode), to tell a replaced file from a modified one. */
    private final Object fileKey;

    OpenFile(FileChannel channel, long size, long mtimeMillis, boolean directory, Object fileKey) {
        this.channel = channel;
        this.size = size;
        this.mtimeMillis = mtimeMillis;
        this.directory = directory;
        this.fileKey = fileKey;
    }

    /** The descriptor; null for a directory or anything else that is not a regular file. */
    FileChannel channel() {
        return channel;
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
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only descriptor: nothing was lost
            }
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
