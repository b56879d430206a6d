package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker killed with SIGKILL under load (nginx respawns it; DESIGN rule 2): the master starts a new worker in the
 * same slot, which takes over the dead worker's listening socket with the connections queued on it, so only requests
 * the dead worker had already accepted may fail.
 */
class WorkerCrashIT {
    /** Requests that started this soon after the worker's death was observed may still have been accepted by it. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void killedWorkerIsReplacedInItsSlotAndNewRequestsNeverFail() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<ProcessHandle> before = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        List<Long> beforePids = before.stream().map(ProcessHandle::pid).toList();
        ProcessHandle victim = before.getFirst();
        long victimInode = ProcNet.listening(victim.pid(), port).getFirst().inode();
        var masterInodes = ReuseportIT.inodes(ProcNet.listening(p.masterPid(), port));

        long killAt;
        long deathSeen;
        long firstServedByNew;
        ProcessHandle replacement;
        List<LoadLoop.Outcome> outcomes;
        try (LoadLoop load = new LoadLoop(port, "/", 8, Duration.ofSeconds(10), 1)) {
            Await.sleep(1000);
            killAt = System.nanoTime();
            PierInstance.signal("KILL", victim.pid());
            victim.onExit().get(5, TimeUnit.SECONDS);
            deathSeen = System.nanoTime();

            Await.until(Duration.ofSeconds(15), () -> "a new worker besides " + beforePids + ", have "
                    + p.workerPids(), () -> p.workers().stream().anyMatch(h -> !beforePids.contains(h.pid())));
            replacement = p.workers().stream().filter(h -> !beforePids.contains(h.pid())).findFirst().orElseThrow();
            String newPid = Long.toString(replacement.pid());
            Await.until(Duration.ofSeconds(15), "the new worker " + newPid + " serving",
                    () -> load.outcomes().stream().anyMatch(o -> o.ok() && o.worker().equals(newPid)));
            firstServedByNew = load.outcomes().stream().filter(o -> o.ok() && o.worker().equals(newPid))
                    .mapToLong(LoadLoop.Outcome::endNanos).min().orElseThrow();
            Await.sleep(1000);
            load.stop();
            outcomes = load.outcomes();
        }

        assertThat(replacement.parent().map(ProcessHandle::pid)).as("the new worker is the master's child")
                .contains(p.masterPid());
        assertThat(Duration.ofNanos(firstServedByNew - killAt)).as("kill to first response from the new worker")
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(ReuseportIT.inodes(ProcNet.listening(replacement.pid(), port)))
                .as("the new worker took over the dead worker's slot socket").containsExactly(victimInode);
        assertThat(ReuseportIT.inodes(ProcNet.listening(p.masterPid(), port)))
                .as("the master kept every socket").isEqualTo(masterInodes);

        long cutoff = deathSeen + GRACE_NANOS;
        List<LoadLoop.Outcome> after = outcomes.stream().filter(o -> o.startNanos() > cutoff).toList();
        assertThat(after).as("requests started after the kill").hasSizeGreaterThan(50);
        assertThat(after).as("failed requests started after the kill (killed at %d, death seen at %d)", killAt,
                deathSeen).filteredOn(o -> !o.ok()).isEmpty();
        Optional<LoadLoop.Outcome> anyBefore = outcomes.stream().filter(o -> o.startNanos() < killAt).findAny();
        assertThat(anyBefore).as("load was running before the kill").isPresent();
    }

    /**
     * A worker respawned after a crash serves its master's configuration, not whatever the file holds now: here the
     * file was broken on disk (no reload) before the crash. nginx's respawned workers are forks of the master and get
     * this for free; Pier's get the bytes the master read with their slot.
     */
    @Test
    void respawnedWorkerServesTheMastersConfigurationEvenIfTheFileChanged() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 1, true, "gen-a")).start();
        WorkerInfo victim = Ops.awaitServing(p, p.masterPid(), port, 1).getFirst();
        Ops.awaitServed(port, "gen-a");
        p.writeConf(Confs.tagged(port, 1, true, "gen-b").replace("server_name localhost;",
                "server_name localhost;\n        lsten 1;"));

        PierInstance.signal("KILL", victim.pid());
        Await.until(Duration.ofSeconds(15), () -> "a worker other than " + victim + ", have " + p.workerInfos(),
                () -> p.workerInfos().stream().anyMatch(w -> w.pid() != victim.pid() && w.slot() == 0));
        WorkerInfo replacement = p.workerInfos().stream().filter(w -> w.pid() != victim.pid() && w.slot() == 0)
                .findFirst().orElseThrow();
        Ops.awaitServed(port, "gen-a");
        for (int i = 0; i < 10; i++) {
            assertThat(RawHttp.get(port, "/").bodyText()).as("answer %d after the respawn", i)
                    .startsWith("gen-a " + replacement.pid());
        }
        assertThat(p.prefix().errorLogText()).as("error.log").doesNotContain("[emerg]");
    }
}
