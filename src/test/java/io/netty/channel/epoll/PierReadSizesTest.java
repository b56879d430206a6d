package io.netty.channel.epoll;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PierReadSizes} guesses as Netty's default allocator does with its default sizes, read after read, so that
 * replacing it changed only what a connection costs to set up.
 */
class PierReadSizesTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void theLadderRunsFrom16To64KiB() {
        assertThat(PierReadSizes.LADDER[0]).isEqualTo(16);
        assertThat(PierReadSizes.LADDER[PierReadSizes.LADDER.length - 1]).isEqualTo(64 * 1024);
        assertThat(PierReadSizes.stepOf(496) + 1).isEqualTo(PierReadSizes.stepOf(512));
        for (int i = 1; i < PierReadSizes.LADDER.length; i++) {
            assertThat(PierReadSizes.LADDER[i]).isGreaterThan(PierReadSizes.LADDER[i - 1]);
        }
    }

    @Test
    void aGuessFollowsNettysAdaptiveOneThroughBurstsAndLulls() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            List<int[]> events = new ArrayList<>();
            for (int e = 0; e < 60; e++) {
                int reads = 1 + random.nextInt(4);
                int[] sizes = new int[reads];
                for (int r = 0; r < reads; r++) {
                    sizes[r] = switch (random.nextInt(4)) {
                        case 0 -> -1; // a full buffer: as much as was asked for
                        case 1 -> random.nextInt(100);
                        case 2 -> random.nextInt(5000);
                        default -> random.nextInt(70_000);
                    };
                }
                events.add(sizes);
            }
            assertThat(guesses(PierReadSizes.INSTANCE.newHandle(), events))
                    .as("run %d", run)
                    .containsExactlyElementsOf(guesses(new AdaptiveRecvByteBufAllocator().newHandle(), events));
        }
    }

    @Test
    void aFullBufferGrowsTheNextReadOfTheSameEvent() {
        RecvByteBufAllocator.Handle h = PierReadSizes.INSTANCE.newHandle();
        h.reset(channel.config());
        assertThat(h.guess()).isEqualTo(2048);
        h.attemptedBytesRead(2048);
        h.lastBytesRead(2048);
        assertThat(h.guess()).isEqualTo(32 * 1024);
        h.attemptedBytesRead(32 * 1024);
        h.lastBytesRead(32 * 1024);
        assertThat(h.guess()).isEqualTo(64 * 1024);
    }

    @Test
    void everyConnectionHasItsOwnGuess() {
        RecvByteBufAllocator.Handle a = PierReadSizes.INSTANCE.newHandle();
        RecvByteBufAllocator.Handle b = PierReadSizes.INSTANCE.newHandle();
        a.reset(channel.config());
        a.attemptedBytesRead(2048);
        a.lastBytesRead(2048);
        assertThat(a.guess()).isNotEqualTo(b.guess());
        assertThat(b.guess()).isEqualTo(2048);
    }

    /** Drives a handle as Netty's read loop does, one list of reads per event, and records its guess before each. */
    private List<Integer> guesses(RecvByteBufAllocator.Handle h, List<int[]> events) {
        List<Integer> seen = new ArrayList<>();
        for (int[] reads : events) {
            h.reset(channel.config());
            for (int size : reads) {
                int asked = h.guess();
                seen.add(asked);
                h.attemptedBytesRead(asked);
                h.lastBytesRead(size < 0 ? asked : Math.min(size, asked));
                h.incMessagesRead(1);
            }
            h.readComplete();
            seen.add(h.guess());
        }
        return seen;
    }
}
