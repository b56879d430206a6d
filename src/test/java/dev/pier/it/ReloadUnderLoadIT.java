package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
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
