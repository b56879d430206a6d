package dev.pier.http;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IterationClockTest {
    private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(3);

    /** A handler whose every turn handles {@code events} reads, each paced by a pause. */
    private static class Reads implements IoHandler {
        final List<Long> readings = new ArrayList<>();
        final int events;

        Reads(int events) {
            this.events = events;
        }

        @Override
        public int run(IoHandlerContext context) {
            for (int i = 0; i < events; i++) {
                try (var _ = EventClock.begin()) {
                    readings.add(EventClock.nanoTime());
                    pause();
                }
            }
            return events;
        }

        @Override
        public IoRegistration register(IoHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeup() {
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return false;
        }
    }

    @Test
    void theReadsOfOneTurnShareTheFirstOnesReadingAndTheNextTurnTakesANewOne() throws Exception {
        long[] out = onOwnThread(() -> {
            Reads reads = new Reads(3);
            IterationClock loop = IterationClock.of(reads);
            loop.run(null);
            loop.run(null);
            return reads.readings.stream().mapToLong(Long::longValue).toArray();
        });
        assertThat(out[1]).isEqualTo(out[0]);
        assertThat(out[2]).isEqualTo(out[0]);
        assertThat(out[3] - out[0]).as("the second turn reads the clock again").isGreaterThanOrEqualTo(3 * PAUSE);
        assertThat(out[4]).isEqualTo(out[3]);
        assertThat(out[5]).isEqualTo(out[3]);
    }

    @Test
    void withoutTheWrapperEachReadTakesItsOwnReading() throws Exception {
        long[] out = onOwnThread(() -> {
            Reads reads = new Reads(2);
            reads.run(null);
            return reads.readings.stream().mapToLong(Long::longValue).toArray();
        });
        assertThat(out[1] - out[0]).isGreaterThanOrEqualTo(PAUSE);
    }

    @Test
    void outsideAReadTheClockIsFreshEvenWithinATurn() throws Exception {
        long[] out = onOwnThread(() -> {
            long[] r = new long[3];
            IterationClock.of(new Reads(0) {
                @Override
                public int run(IoHandlerContext context) {
                    try (var _ = EventClock.begin()) {
                        r[0] = EventClock.nanoTime();
                    }
                    pause();
                    r[1] = EventClock.nanoTime();
                    try (var _ = EventClock.begin()) {
                        r[2] = EventClock.nanoTime();
                    }
                    return 0;
                }
            }).run(null);
            return r;
        });
        assertThat(out[1] - out[0]).isGreaterThanOrEqualTo(PAUSE);
        assertThat(out[2]).as("a later read of the same turn").isEqualTo(out[0]);
    }

    /** On a thread of its own: the turn flag stays with the thread that ran the loop. */
    private static long[] onOwnThread(java.util.concurrent.Callable<long[]> body) throws Exception {
        long[][] result = new long[1][];
        Exception[] failed = new Exception[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result[0] = body.call();
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        t.join();
        if (failed[0] != null) {
            throw failed[0];
        }
        return result[0];
    }

    private static void pause() {
        long until = System.nanoTime() + PAUSE;
        while (System.nanoTime() - until < 0) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    @Test
    void aWrappedFactorysLoopsNeverChangeThreadsSoTheyDoNotMeasureTheirBusyTime() {
        assertThat(io.netty.channel.epoll.EpollIoHandler.newFactory().isChangingThreadSupported()).isTrue();
        assertThat(IterationClock.wrap(io.netty.channel.epoll.EpollIoHandler.newFactory()).isChangingThreadSupported())
                .isFalse();
    }
}
