package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.io.IOException;

/**
 * An open file a response body comes from by its own descriptor, with no {@code FileChannel}: a small body is read
 * straight from it ({@link InlineFileBody}), a large one sent from it ({@link SendfileRegion}).
 */
public interface RawFile extends ReferenceCounted {
    /**
     * Reads up to {@code length} bytes at {@code position} into the writable bytes of {@code dst}, a direct buffer;
     * -1 at the end.
     */
    int read(ByteBuf dst, long position, int length) throws IOException;

    /** The file's own descriptor, for {@code sendfile}; -1 once it is closed. */
    int descriptor();
}
