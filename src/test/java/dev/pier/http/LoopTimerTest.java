package dev.pier.http;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoopTimerTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final AtomicInteger fired = new AtomicInteger();
    private final LoopTimer timer = new LoopTimer(ch.eventLoop(), fired::incrementAndGet);
    /** Timers that share one loop's lines, as a worker's connections do. */
    private final LoopTimers shared = LoopTimers.own(ch.eventLoop());
    private final List<String> expired = new ArrayList<>();

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    private LoopTimer named(String name) {
        return new LoopTimer(shared, () -> expired.add(name));
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
    void disarmTakesTheTaskOutOfTheQueue() {
        timer.arm(60_000);
        timer.disarm();
        advance(120);
        assertThat(fired).hasValue(0);
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1L); // nothing scheduled any more
    }

    @Test
    void timersOfOneDurationShareOneScheduledTaskAndExpireInTheOrderTheyWereArmed() {
        LoopTimer a = named("a");
        LoopTimer b = named("b");
        LoopTimer c = named("c");
        a.arm(10_000);
        advance(2);
        b.arm(10_000);
        advance(2);
        c.arm(10_000);
        assertThat(shared.scheduled()).isEqualTo(1);
        advance(6); // 10 s
        assertThat(expired).containsExactly("a");
        advance(2);
        assertThat(expired).containsExactly("a", "b");
        advance(2);
        assertThat(expired).containsExactly("a", "b", "c");
        assertThat(shared.scheduled()).isZero();
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1L);
    }

    @Test
    void theLastTimerOfADurationDisarmedTakesItsTaskOutOfTheQueue() {
        LoopTimer a = named("a");
        LoopTimer b = named("b");
        a.arm(10_000);
        b.arm(10_000);
        a.disarm();
        assertThat(shared.scheduled()).isEqualTo(1);
        b.disarm();
        assertThat(shared.scheduled()).isZero();
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1L);
        advance(60);
        assertThat(expired).isEmpty();
    }

    @Test
    void eachDurationKeepsItsOwnOrderAndATimerMovesBetweenThem() {
        LoopTimer slow = named("slow");
        LoopTimer fast = named("fast");
        LoopTimer moved = named("moved");
        slow.arm(60_000);
        moved.arm(60_000);
        fast.arm(5_000);
        assertThat(shared.scheduled()).isEqualTo(2);
        moved.arm(3_000); // from the 60 s line to a 3 s one
        advance(4);
        assertThat(expired).containsExactly("moved");
        advance(2);
        assertThat(expired).containsExactly("moved", "fast");
        advance(54);
        assertThat(expired).containsExactly("moved", "fast", "slow");
    }

    @Test
    void aTimerArmedFromAnEarlierReadingTakesItsPlaceBeforeLaterOnes() {
        LoopTimer late = named("late");
        LoopTimer early = named("early");
        advance(10);
        long now = late.now();
        late.arm(10_000, now);
        early.arm(10_000, now - TimeUnit.SECONDS.toNanos(3));
        advance(7); // 17 s: early (due at 17 s) only
        assertThat(expired).containsExactly("early");
        advance(3);
        assertThat(expired).containsExactly("early", "late");
    }

    @Test
    void anExpiryMayDisarmATimerThatIsDueTooOrArmItselfAgain() {
        LoopTimer[] t = new LoopTimer[2];
        t[1] = named("second");
        t[0] = new LoopTimer(shared, () -> {
            expired.add("first");
            t[1].disarm();
            t[0].arm(10_000);
        });
        t[0].arm(10_000);
        t[1].arm(10_000);
        advance(11); // both due; the first's expiry disarms the second and re-arms itself
        assertThat(expired).containsExactly("first");
        advance(10);
        assertThat(expired).containsExactly("first", "first");
    }

    @Test
    void anExpiryThatThrowsDoesNotStopTheTimersAfterIt() {
        LoopTimer failing = new LoopTimer(shared, () -> {
            expired.add("failing");
            throw new IllegalStateException("a bug in one owner");
        });
        LoopTimer due = named("due");
        LoopTimer later = named("later");
        failing.arm(10_000);
        due.arm(10_000);
        advance(5);
        later.arm(10_000); // appended behind: it schedules nothing of its own
        ch.advanceTimeBy(6, TimeUnit.SECONDS);
        try {
            ch.runScheduledPendingTasks();
        } catch (IllegalStateException expected) {
            // the embedded loop passes it on; a real loop logs it
        }
        ch.runScheduledPendingTasks(); // the next turn
        assertThat(expired).containsExactly("failing", "due");
        advance(4);
        assertThat(expired).containsExactly("failing", "due", "later");
    }

    @Test
    void onAWorkersLoopEveryTimerSharesTheLoopsLinesAndExpires() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            CountDownLatch done = new CountDownLatch(2);
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            LoopTimers[] seen = new LoopTimers[3];
            loop.submit(() -> {
                LoopTimer a = new LoopTimer(loop, () -> {
                    order.add("a");
                    done.countDown();
                });
                LoopTimer b = new LoopTimer(loop, () -> {
                    order.add("b");
                    done.countDown();
                });
                a.arm(50);
                b.arm(50);
                seen[0] = LoopTimers.of(loop);
                seen[1] = LoopTimers.of(loop);
                assertThat(seen[0].scheduled()).isEqualTo(1);
            }).sync();
            seen[2] = LoopTimers.of(loop); // off the loop's thread: not the loop's own
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("a", "b");
            assertThat(seen[1]).isSameAs(seen[0]);
            assertThat(seen[2]).isNotSameAs(seen[0]);
            assertThat(loop.submit(() -> seen[0].scheduled()).get()).isZero();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
