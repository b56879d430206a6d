package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload after reload while traffic flows (DESIGN rule 5, issue "Zero-loss operations"): 20 HUPs half a second apart,
 * alternating two configurations, under 16 clients (half reusing keep-alive connections, half opening a connection per
 * request). No request may be refused, reset, time out or get a wrong answer; at the end exactly
 * {@code worker_processes} workers are left, of one generation, on the master's original sockets, serving the last
 * configuration written.
 */
class ReloadUnderLoadIT {
    private static final int WORKERS = 2;
    private static final int RELOADS = 20;
    private static final long INTERVAL_MS = 500;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    /**
     * nginx re-reads the configuration on every HUP. A HUP (or {@code -s reload}) arriving while the previous reload's
     * workers are still starting must not be lost: the file as written last must end up served, and a
     * {@code pier -s reload} that returned 0 must mean its own reading of the file is in effect.
     */
    @Test
    void reloadRequestedWhileAReloadIsPendingIsApplied() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-0")).start();
        Ops.awaitServing(p, p.masterPid(), port, WORKERS);

        // a reload stays pending while one of its workers is held (SIGSTOP) and the other is ready with "gen-a"
        p.writeConf(Confs.tagged(port, WORKERS, true, "gen-a"));
        p.signal("HUP");
        WorkerInfo held = holdSlot1(p, 2);
        p.writeConf(Confs.tagged(port, WORKERS, true, "gen-b"));
        CompletableFuture<CliResult> cli = CompletableFuture.supplyAsync(() -> p.run("-s", "reload"));
        Await.sleep(1500); // the client JVM reaches the master meanwhile
        PierInstance.signal("CONT", held.pid());
        CliResult r = cli.get(60, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as("pier -s reload: %s", r).isZero();
        assertAllServe(port, "gen-b", "once pier -s reload returned 0");

        // the same with two HUPs: the second one, sent while the first reload is pending, must not be dropped
        long next = p.workerInfos().stream().mapToLong(WorkerInfo::generation).max().orElseThrow() + 1;
        p.writeConf(Confs.tagged(port, WORKERS, true, "gen-c"));
        p.signal("HUP");
        held = holdSlot1(p, next);
        p.writeConf(Confs.tagged(port, WORKERS, true, "gen-d"));
        p.signal("HUP");
        Await.sleep(500);
        PierInstance.signal("CONT", held.pid());
        Ops.awaitServed(port, "gen-d");
        Await.until(Ops.SETTLE, () -> "one generation of " + WORKERS + " workers: " + p.workerInfos(),
                () -> p.workerInfos().size() == WORKERS);
        assertAllServe(port, "gen-d", "after the second HUP");
    }

    /**
     * Waits for the slot-1 worker of generation {@code gen} and stops it (SIGSTOP) before its JVM has started, then
     * waits until the master reports the slot-0 worker of that generation ready.
     */
    private static WorkerInfo holdSlot1(PierInstance p, long gen) {
        WorkerInfo[] held = new WorkerInfo[1];
        Await.until(Ops.SETTLE, () -> "slot 1 worker of generation " + gen + ": " + p.workerInfos(), () -> {
            p.workerInfos().stream().filter(w -> w.generation() == gen && w.slot() == 1).findFirst()
                    .ifPresent(w -> held[0] = w);
            return held[0] != null;
        });
        PierInstance.signal("STOP", held[0].pid());
        Await.until(Ops.SETTLE, () -> "slot 0 of generation " + gen + " ready:\n" + p.prefix().errorLogText(),
                () -> p.prefix().errorLogText().lines().anyMatch(l -> l.contains("(slot 0, generation " + gen
                        + ") ready")));
        return held[0];
    }

    private static void assertAllServe(int port, String tag, String when) {
        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.get(port, "/").bodyText()).as("request %d %s", i, when).startsWith(tag + " ");
        }
    }

    @Test
    void twentyReloadsUnderLoadLoseNoRequest() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-0")).start();
        List<WorkerInfo> first = Ops.awaitServing(p, p.masterPid(), port, WORKERS);
        Set<Long> sockets = Ops.inodes(p.masterPid(), port);
        assertThat(sockets).as("one socket per slot").hasSize(WORKERS);

        String last = null;
        List<MixedLoad.Outcome> outcomes;
        try (MixedLoad load = MixedLoad.start(port, Ops.CLIENTS, Ops.BODY)) {
            Ops.awaitTraffic(load, 100);
            for (int i = 1; i <= RELOADS; i++) {
                last = i % 2 == 1 ? "gen-a" : "gen-b";
                p.writeConf(Confs.tagged(port, WORKERS, true, last));
                p.signal("HUP");
                Await.sleep(INTERVAL_MS);
            }
            // every HUP re-reads the file (nginx): the file as written last must end up served
            Ops.awaitServed(port, last);
            Await.until(Ops.SETTLE, () -> "old generations gone, workers: " + p.workerInfos(),
                    () -> p.workerInfos().size() == WORKERS);
            Ops.awaitTraffic(load, 200);
            load.stop();
            outcomes = load.outcomes();
            Ops.assertNoFailures(load, outcomes, 1000);
            assertThat(load.servedWith("gen-a")).as("the first alternate config was served").isPositive();
            assertThat(load.servedWith("gen-b")).as("the second alternate config was served").isPositive();
        }

        List<WorkerInfo> end = Ops.awaitServing(p, p.masterPid(), port, WORKERS);
        assertThat(end).as("exactly worker_processes workers left").hasSize(WORKERS);
        assertThat(end).as("no worker of the first generation left")
                .noneMatch(w -> first.stream().anyMatch(f -> f.pid() == w.pid()));
        assertThat(Ops.inodes(p.masterPid(), port)).as("the master kept its slot sockets").isEqualTo(sockets);
        Set<Long> held = new java.util.HashSet<>();
        end.forEach(w -> held.addAll(Ops.inodes(w.pid(), port)));
        assertThat(held).as("the last generation serves the original sockets").isEqualTo(sockets);
        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.get(port, "/").bodyText()).as("the last config written is served").startsWith(last + " ");
        }
    }
}
