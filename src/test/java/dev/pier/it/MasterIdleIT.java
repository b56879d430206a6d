package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
    private static final long WATCH_MILLIS = 2000;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void withoutReuseportTheIdleMastersLoopDoesNotWake() {
        long wakeups = idleWakeups(false);
        assertThat(wakeups).as("the master's loop woke %d times in %d ms of idleness", wakeups, WATCH_MILLIS)
                .isLessThanOrEqualTo(2);
    }

    @Test
    void behindReuseportTheMasterSamplesTheQueuesAndSleepsBetweenSamples() {
        long wakeups = idleWakeups(true);
        // 100 ms between samples: about 20 in 2 s; a loop that spins without sleeping would show none
        assertThat(wakeups).as("the master's loop woke %d times in %d ms of idleness", wakeups, WATCH_MILLIS)
                .isBetween(8L, 40L);
    }

    private long idleWakeups(boolean reuseport) {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, reuseport, "pier")).start();
        Await.until(Duration.ofSeconds(20), () -> "2 workers ready:\n" + p.prefix().errorLogText(),
                () -> p.prefix().readyLines().size() >= 2);
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
        Await.sleep(1000); // what the start and the request set going is over
        long before = ProcStatus.sleeps(p.masterPid(), LOOP_THREAD);
        Await.sleep(WATCH_MILLIS);
        long after = ProcStatus.sleeps(p.masterPid(), LOOP_THREAD);
        assertThat(before).as("the master's loop thread").isPositive();
        return after - before;
    }
}
