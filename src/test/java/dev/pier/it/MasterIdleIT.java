package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle master sleeps until something happens, as nginx's does: with no reuseport socket it has nothing to watch,
 * so its loop thread (the JVM's main thread, named {@code java}) does not wake at all while nothing arrives. Behind
 * reuseport sockets with two workers it wakes about ten times a second to sample the accept queues for a stalled
 * worker ({@code StallSteeringIT}), and sleeps between the samples.
 */
class MasterIdleIT {
    private static final String LOOP_THREAD = "java";
    private static final long WINDOW_MILLIS = 2000;
    private static final int WINDOWS = 5;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void withoutReuseportTheIdleMastersLoopDoesNotWake() {
        long wakeups = idleWakeups(false, n -> n <= 2);
        assertThat(wakeups).as("the master's loop woke %d times in %d ms of idleness", wakeups, WINDOW_MILLIS)
                .isLessThanOrEqualTo(2);
    }

    @Test
    void behindReuseportTheMasterSamplesTheQueuesAndSleepsBetweenSamples() {
        // 100 ms between samples: about 20 in 2 s; a loop that spins without sleeping would show none
        long wakeups = idleWakeups(true, n -> n >= 8 && n <= 40);
        assertThat(wakeups).as("the master's loop woke %d times in %d ms of idleness", wakeups, WINDOW_MILLIS)
                .isBetween(8L, 40L);
    }

    /**
     * The master's loop thread's wake-ups in a window of {@link #WINDOW_MILLIS} once the workers serve: the first
     * window whose count {@code settled} accepts (the spare's start-up may still send a message or two into the
     * first), or the last of {@link #WINDOWS}.
     */
    private long idleWakeups(boolean reuseport, LongPredicate settled) {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, reuseport, "pier")).start();
        Await.until(Duration.ofSeconds(20), () -> "2 workers ready:\n" + p.prefix().errorLogText(),
                () -> p.prefix().readyLines().size() >= 2);
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
        long wakeups = -1;
        for (int i = 0; i < WINDOWS; i++) {
            long before = ProcStatus.sleeps(p.masterPid(), LOOP_THREAD);
            assertThat(before).as("the master's loop thread").isPositive();
            Await.sleep(WINDOW_MILLIS);
            wakeups = ProcStatus.sleeps(p.masterPid(), LOOP_THREAD) - before;
            if (settled.test(wakeups)) {
                break;
            }
        }
        return wakeups;
    }
}
