package dev.pier.http;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The allocator of every client and backend connection: Netty's default allocator with a shelf of a few direct
 * buffers per thread in front of it. A connection's reads, a whole small response and a proxied head each take a
 * buffer that is released again on the same thread within the same event (a read once it is decoded, a response once
 * the socket took it); the shelf hands the same {@link #SIZE} buffers out again and again, where Netty's adaptive
 * allocator spent 8-9% of a {@code return 200} worker's event loop finding a segment and another 3% giving it back.
 *
 * <p>A buffer comes from the shelf when the caller asks for at most {@link #SIZE} bytes and lets it grow to at least
 * that many; it may be bigger than asked for, as any allocator's may. The shelf holds at most {@link #KEPT} buffers
 * per thread: when they are all out (slow clients holding responses, heads waiting for their end) the next one comes
 * from Netty's allocator. A shelf buffer released on another thread, or grown past its size, is freed instead of
 * shelved, and its thread may make another. On the shelf a buffer's reference count is 0, so a use after release
 * still fails as it does with Netty's own buffers, until the buffer is handed out again.
 */
public final class LoopAllocator extends AbstractByteBufAllocator {
    /** The size of a shelf buffer: a read, or a response head with a small body (a 4 KiB file) behind it. */
    static final int SIZE = 8 * 1024;
    /** The most buffers a thread's shelf keeps out or on it. */
    static final int KEPT = 8;

    private static final LoopAllocator INSTANCE =
            new LoopAllocator(ByteBufAllocator.DEFAULT, PlatformDependent.hasUnsafe());
    private final ByteBufAllocator fallback;
    private final boolean unsafe;
    private final FastThreadLocal<Shelf> shelves = new FastThreadLocal<>() {
        @Override
        protected Shelf initialValue() {
            return new Shelf(LoopAllocator.this);
        }

        @Override
        protected void onRemoval(Shelf shelf) {
            shelf.drop(); // the thread ends: what is on its shelf is freed now, not left to the collector
        }
    };

    /** @param unsafe whether Netty may use {@code sun.misc.Unsafe} here (so shelf buffers may too) */
    LoopAllocator(ByteBufAllocator fallback, boolean unsafe) {
        super(PlatformDependent.directBufferPreferred());
        this.fallback = fallback;
        this.unsafe = unsafe;
    }

    /** The allocator for a connection's channel. */
    public static ByteBufAllocator forConnections() {
        return INSTANCE;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity <= SIZE && maxCapacity >= SIZE) {
            ByteBuf b = shelves.get().take();
            if (b != null) {
                return toLeakAwareBuffer(b); // as Netty's allocators do: sampled when leak detection is on
            }
        }
        return fallback.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return fallback.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** One thread's buffers; only that thread takes from it and puts back. */
    private static final class Shelf {
        private final LoopAllocator alloc;
        private final Thread thread = Thread.currentThread();
        private final Shelved[] kept = new Shelved[KEPT];
        private int onShelf;
        /** Buffers of this shelf that exist (on it or out), as far as this thread knows. */
        private int made;
        /** Buffers of this shelf freed by other threads since this thread last looked. */
        private final AtomicInteger lost = new AtomicInteger();

        Shelf(LoopAllocator alloc) {
            this.alloc = alloc;
        }

        /** A buffer of this shelf, ready for use; null when all of them are out. */
        ByteBuf take() {
            if (onShelf > 0) {
                Shelved b = kept[--onShelf];
                kept[onShelf] = null;
                return b.reuse();
            }
            if (made == KEPT && lost.get() > 0) {
                made -= lost.getAndSet(0);
            }
            if (made < KEPT) {
                made++;
                return alloc.unsafe ? new UnsafeShelfBuf(alloc, this) : new PlainShelfBuf(alloc, this);
            }
            return null;
        }

        /** True when {@code b}, released, went back on the shelf; false when it must be freed. */
        boolean putBack(Shelved b, int capacity) {
            if (Thread.currentThread() != thread) {
                lost.incrementAndGet();
                return false;
            }
            if (capacity != SIZE || onShelf == KEPT) {
                made--;
                return false;
            }
            kept[onShelf++] = b;
            return true;
        }

        void drop() {
            while (onShelf > 0) {
                Shelved b = kept[--onShelf];
                kept[onShelf] = null;
                b.free();
            }
        }
    }

    /** A shelf's buffer: handed out again by {@link #reuse}, or really freed. */
    private sealed interface Shelved permits UnsafeShelfBuf, PlainShelfBuf {
        /** As new: one reference, nothing written, no marks. */
        ByteBuf reuse();

        void free();
    }

    /** A shelf buffer read and written through its memory address (workers run with {@code sun.misc.Unsafe}). */
    private static final class UnsafeShelfBuf extends UnpooledUnsafeDirectByteBuf implements Shelved {
        private final Shelf shelf;

        UnsafeShelfBuf(ByteBufAllocator alloc, Shelf shelf) {
            super(alloc, SIZE, Integer.MAX_VALUE);
            this.shelf = shelf;
        }

        @Override
        public ByteBuf reuse() {
            resetRefCnt();
            return clear().markReaderIndex().markWriterIndex();
        }

        @Override
        protected void deallocate() {
            if (!shelf.putBack(this, capacity())) {
                super.deallocate();
            }
        }

        @Override
        public void free() {
            super.deallocate();
        }
    }

    /** The same through {@code ByteBuffer} (a JVM where Netty has no {@code Unsafe}). */
    private static final class PlainShelfBuf extends UnpooledDirectByteBuf implements Shelved {
        private final Shelf shelf;

        PlainShelfBuf(ByteBufAllocator alloc, Shelf shelf) {
            super(alloc, SIZE, Integer.MAX_VALUE);
            this.shelf = shelf;
        }

        @Override
        public ByteBuf reuse() {
            resetRefCnt();
            return clear().markReaderIndex().markWriterIndex();
        }

        @Override
        protected void deallocate() {
            if (!shelf.putBack(this, capacity())) {
                super.deallocate();
            }
        }

        @Override
        public void free() {
            super.deallocate();
        }
    }
}
