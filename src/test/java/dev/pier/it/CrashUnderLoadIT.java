package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three worker SIGKILLs, two seconds apart, under a load of fresh connections (DESIGN rule 2): each dead worker is
 * respawned in its slot with the same socket, and connections queued on that socket meanwhile are served by the new
 * worker. Only requests the killed worker had already accepted may fail, approximated as: started before the killed
 * process was seen to exit (it accepts until the signal lands) and ended by a reset or EOF between the kill and 100 ms
 * after the exit.
 */
class CrashUnderLoadIT {
    private static final int WORKERS = 2;
    private static final int KILLS = 3;
    private static final long KILL_INTERVAL_MS = 2000;
    private static final long IN_FLIGHT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Set<MixedLoad.Failure> ABORTED = EnumSet.of(MixedLoad.Failure.RESET, MixedLoad.Failure.EOF);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void killedWorkersCostOnlyTheirAcceptedRequests() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-1")).start();
        Ops.awaitServing(p, p.masterPid(), port, WORKERS);
        Set<Long> sockets = Ops.inodes(p.masterPid(), port);

        List<Kill> kills = new ArrayList<>();
        List<WorkerInfo> victims = new ArrayList<>();
        List<MixedLoad.Outcome> outcomes;
        try (MixedLoad load = new MixedLoad(port, 0, 8, Ops.BODY, 2, Duration.ofSeconds(10))) {
            Ops.awaitTraffic(load, 100);
            for (int i = 0; i < KILLS; i++) {
                int slot = i % WORKERS;
                // a worker that has served (so it is really accepting) and is not the one we just replaced
                Await.until(Ops.SETTLE, () -> "a serving worker in slot " + slot + ": " + p.workerInfos(),
                        () -> p.workerInfos().stream().anyMatch(w -> w.slot() == slot && load.servedBy(w.pid())));
                WorkerInfo victim = p.workerInfos().stream()
                        .filter(w -> w.slot() == slot && load.servedBy(w.pid())).findFirst().orElseThrow();
                assertThat(Ops.inodes(victim.pid(), port)).as("%s holds its slot socket", victim).hasSize(1);
                victims.add(victim);
                long sent = System.nanoTime();
                assertThat(victim.handle().destroyForcibly()).as("SIGKILL %s", victim).isTrue();
                victim.handle().onExit().get(5, TimeUnit.SECONDS);
                kills.add(new Kill(sent, System.nanoTime()));
                Await.sleep(KILL_INTERVAL_MS);
            }
            List<WorkerInfo> end = Ops.awaitServing(p, p.masterPid(), port, WORKERS);
            Await.until(Ops.SETTLE, () -> "every respawned worker answering: " + end,
                    () -> end.stream().allMatch(w -> load.servedBy(w.pid())));
            Ops.awaitTraffic(load, 200);
            load.stop();
            outcomes = load.outcomes();
        }

        List<MixedLoad.Outcome> excused = outcomes.stream().filter(o -> !o.ok() && inFlightAtAKill(o, kills))
                .toList();
        String summary = "requests=" + outcomes.size() + ", failed in flight at a kill=" + excused.size()
                + ", kills at " + kills.stream().map(k -> MixedLoad.wallClock(k.sent())).toList() + " of " + victims;
        System.out.println("[pier-it] crash load: " + summary);
        assertThat(outcomes).as(summary).hasSizeGreaterThan(500);
        assertThat(outcomes).as("failed requests not in flight on a killed worker (%s)", summary)
                .filteredOn(o -> !o.ok() && !inFlightAtAKill(o, kills)).isEmpty();
        for (Kill kill : kills) {
            assertThat(outcomes).as("requests started after the exit at %s", MixedLoad.wallClock(kill.exited()))
                    .anyMatch(o -> o.ok() && o.startNanos() > kill.exited()
                            && o.startNanos() < kill.exited() + 1_000_000_000L);
        }
        assertThat(Ops.inodes(p.masterPid(), port)).as("the master kept every socket").isEqualTo(sockets);
        Set<Long> held = new java.util.HashSet<>();
        p.workerInfos().forEach(w -> held.addAll(Ops.inodes(w.pid(), port)));
        assertThat(held).as("the respawned workers hold the same slot sockets").isEqualTo(sockets);
        assertThat(p.workerInfos()).as("exactly %d workers", WORKERS).hasSize(WORKERS);
    }

    /**
     * Started before the victim was seen to exit, and ended by a reset or EOF after the kill was sent and within 100 ms
     * of that exit. The victim keeps accepting between the two readings, so a request started just after the signal
     * was sent can still be one it had accepted.
     */
    private static boolean inFlightAtAKill(MixedLoad.Outcome o, List<Kill> kills) {
        return ABORTED.contains(o.failure()) && kills.stream().anyMatch(k -> o.startNanos() < k.exited()
                && o.endNanos() >= k.sent() && o.endNanos() - k.exited() <= IN_FLIGHT_NANOS);
    }

    /** When the SIGKILL was sent and when the victim's exit was observed ({@link System#nanoTime()}). */
    private record Kill(long sent, long exited) {}
}
