package dev.pier.http;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoopTimerTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final AtomicInteger fired = new AtomicInteger();
    private final LoopTimer timer = new LoopTimer(ch.eventLoop(), fired::incrementAndGet);

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aDeadlineMovedLaterFiresAtTheNewOneWithoutANewTaskPerMove() {
        timer.arm(10_000);
        advance(5);
        timer.arm(10_000); // now due at 15 s; the task scheduled for 10 s stays
        timer.arm(10_000);
        advance(6); // 11 s: the old task fires, finds 4 s left and re-arms
        assertThat(fired).hasValue(0);
        advance(4);
        assertThat(fired).hasValue(1);
        advance(60);
        assertThat(fired).hasValue(1); // once per deadline
    }

    @Test
    void anEarlierDeadlineFiresEarlyAndADisarmedOneNever() {
        timer.arm(60_000);
        timer.arm(2_000);
        advance(3);
        assertThat(fired).hasValue(1);
        timer.arm(5_000);
        timer.disarm();
        advance(10);
        assertThat(fired).hasValue(1);
    }

    @Test
    void cancelTakesTheTaskOutOfTheQueue() {
        timer.arm(60_000);
        timer.cancel();
        advance(120);
        assertThat(fired).hasValue(0);
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1L); // nothing scheduled any more
    }
}
