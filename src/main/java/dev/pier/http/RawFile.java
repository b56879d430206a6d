package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * An open file a response body can come from without a {@link FileChannel}: a small one is read straight from its
 * descriptor ({@link InlineFileBody}), a large one sent from it ({@link SendfileRegion}); a {@link FileChannel} is made
 * only when asked for.
 */
public interface RawFile extends ReferenceCounted {
    /** Reads up to {@code length} bytes at {@code position} into {@code dst}'s writable bytes; -1 at the end. */
    int read(ByteBuf dst, long position, int length) throws IOException;

    /** The file's own descriptor for {@code sendfile}, or -1 when it was opened as a channel only. */
    int descriptor();

    /** The file as a channel (opened on first use, then kept with the file). */
    FileChannel channel() throws IOException;
}
