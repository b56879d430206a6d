package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A written head's bytes, kept to be copied for the next response that would write the same ones ({@link FullHead}'s
 * last head, a backend head's {@link StreamHeadMemo}). What makes a head the same is the keeper's to know.
 */
final class KeptHead {
    /** A longer head is not kept: heads this large (many cookies, say) are not the repeated kind. */
    static final int MAX = 1024;
    private static final byte[] NONE = {};
    /** Made by the first head kept: a keeper that never keeps one (a backend head seen once) costs no array. */
    private byte[] bytes = NONE;
    /** How many bytes are kept, -1 for none. */
    private int size = -1;

    /** Keeps the head {@code h} holds; false, with nothing kept, when it is longer than {@link #MAX}. */
    boolean keep(HeadScratch h) {
        if (h.size() > MAX) {
            size = -1;
            return false;
        }
        bytes = h.into(bytes);
        size = h.size();
        return true;
    }

    boolean isKept() {
        return size >= 0;
    }

    /** The kept head in a new direct buffer of {@code alloc}, with room for {@code more} bytes after it. */
    ByteBuf copy(ByteBufAllocator alloc, int more) {
        return alloc.directBuffer(size + more).writeBytes(bytes, 0, size);
    }
}
