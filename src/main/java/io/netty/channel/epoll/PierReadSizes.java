package io.netty.channel.epoll;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * How much a {@link PierSocketChannel} asks to read: the adaptive guess of Netty's default allocator (start at
 * 2 KiB, four steps up the size ladder at once when a read fills its buffer, one step down after two reads in a row
 * that would have fitted a step lower, between 64 bytes and 64 KiB), with the ladder's positions of these three
 * sizes found once for the process instead of by three binary searches in each of two handles a connection makes.
 * One instance serves every connection ({@link #INSTANCE}); each connection's {@link #newHandle()} keeps its own
 * guess. Its messages per read (16) are therefore everyone's: a connection's config must not change them.
 */
final class PierReadSizes extends DefaultMaxMessagesRecvByteBufAllocator {
    static final int MINIMUM = 64;
    static final int INITIAL = 2048;
    static final int MAXIMUM = 64 * 1024;
    private static final int UP = 4;
    private static final int DOWN = 1;

    /** The sizes a guess takes: 16 to 496 in steps of 16, then the powers of two from 512 up to {@link #MAXIMUM}. */
    static final int[] LADDER = ladder();
    private static final int MIN_STEP = stepOf(MINIMUM);
    private static final int MAX_STEP = stepOf(MAXIMUM);
    private static final int INITIAL_STEP = stepOf(INITIAL);

    /** Shared by every connection: the allocator holds no state of a connection, its handles do. */
    static final PierReadSizes INSTANCE = new PierReadSizes();

    private PierReadSizes() {
        super(16); // a stream channel's messages per read (Netty's metadata for it)
    }

    private static int[] ladder() {
        int n = 496 / 16 + Integer.numberOfTrailingZeros(MAXIMUM / 512) + 1;
        int[] sizes = new int[n];
        int i = 0;
        for (int s = 16; s < 512; s += 16) {
            sizes[i++] = s;
        }
        for (int s = 512; s <= MAXIMUM; s <<= 1) {
            sizes[i++] = s;
        }
        return sizes;
    }

    /** The step whose size is {@code size}; only for the sizes on the ladder. */
    static int stepOf(int size) {
        for (int i = 0; i < LADDER.length; i++) {
            if (LADDER[i] == size) {
                return i;
            }
        }
        throw new IllegalArgumentException("not on the ladder: " + size);
    }

    @Override
    public Handle newHandle() {
        return new Guess();
    }

    /** One connection's guess. */
    final class Guess extends MaxMessageHandle {
        private int step = INITIAL_STEP;
        private int next = INITIAL;
        private boolean lowerNext;

        @Override
        public int guess() {
            return next;
        }

        @Override
        public void lastBytesRead(int bytes) {
            if (bytes == attemptedBytesRead()) {
                record(bytes); // a full buffer: more is likely waiting, grow before the next read of this event
            }
            super.lastBytesRead(bytes);
        }

        @Override
        public void readComplete() {
            record(totalBytesRead());
        }

        private void record(int size) {
            if (size <= LADDER[Math.max(0, step - DOWN)]) {
                if (lowerNext) {
                    step = Math.max(step - DOWN, MIN_STEP);
                    next = LADDER[step];
                    lowerNext = false;
                } else {
                    lowerNext = true;
                }
            } else if (size >= next) {
                step = Math.min(step + UP, MAX_STEP);
                next = LADDER[step];
                lowerNext = false;
            }
        }
    }
}
