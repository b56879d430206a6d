package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code listen ... reuseport} with two workers (DESIGN rules 1 and 2): the master opens one socket per worker slot and
 * keeps them all; each worker holds its own slot's socket; the kernel spreads new connections over both.
 */
class ReuseportIT {
    private static final Duration READY = Duration.ofSeconds(20);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void masterHoldsOneSocketPerSlotAndEachWorkerItsOwn() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<ProcessHandle> workers = awaitWorkersHoldingSockets(p, port);

        Set<Long> master = inodes(ProcNet.listening(p.masterPid(), port));
        assertThat(master).as("master's listening sockets on %d", port).hasSize(2);
        Set<Long> w0 = inodes(ProcNet.listening(workers.get(0).pid(), port));
        Set<Long> w1 = inodes(ProcNet.listening(workers.get(1).pid(), port));
        assertThat(w0).as("worker %d", workers.get(0).pid()).hasSize(1);
        assertThat(w1).as("worker %d", workers.get(1).pid()).hasSize(1);
        assertThat(w0).as("the two workers hold different slots").doesNotContainAnyElementsOf(w1);
        Set<Long> union = new HashSet<>(w0);
        union.addAll(w1);
        assertThat(union).as("workers hold the master's sockets").isEqualTo(master);
        assertThat(inodes(ProcNet.allListening(port))).as("no other listener on the port").isEqualTo(master);
    }

    @Test
    void freshConnectionsAreSpreadOverBothWorkers() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<Long> workerPids = awaitWorkersHoldingSockets(p, port).stream().map(ProcessHandle::pid).sorted().toList();
        Set<String> seen = new HashSet<>();
        Await.until(READY, () -> "both workers answering, seen " + seen, () -> {
            seen.add(RawHttp.get(port, "/").header("X-Worker").orElse("none"));
            return seen.size() == 2;
        });

        int total = 1000;
        Map<String, Integer> byWorker = new TreeMap<>();
        for (int i = 0; i < total; i++) {
            HttpResponse r = RawHttp.get(port, "/");
            assertThat(r.status()).as("request %d: %s", i, r).isEqualTo(200);
            byWorker.merge(r.header("X-Worker").orElseThrow(), 1, Integer::sum);
        }

        assertThat(byWorker.keySet()).as("X-Worker values are the workers' pids")
                .containsExactlyInAnyOrderElementsOf(workerPids.stream().map(String::valueOf).toList());
        assertThat(byWorker.values()).as("share of %d connections per worker: %s", total, byWorker)
                .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(total * 30 / 100));
    }

    /** Two workers, each already holding one listening socket on {@code port}. */
    static List<ProcessHandle> awaitWorkersHoldingSockets(PierInstance p, int port) {
        Await.until(READY, () -> "2 workers each holding a listener on " + port + ": " + describe(p, port), () -> {
            List<ProcessHandle> w = p.workers();
            return w.size() == 2 && w.stream().allMatch(h -> !ProcNet.listening(h.pid(), port).isEmpty());
        });
        return p.workers().stream().sorted().toList();
    }

    static String describe(PierInstance p, int port) {
        return "master " + p.masterPid() + " " + ProcNet.listening(p.masterPid(), port) + ", workers "
                + p.workers().stream().collect(Collectors.toMap(ProcessHandle::pid,
                        h -> ProcNet.listening(h.pid(), port)));
    }

    static Set<Long> inodes(List<ProcNet.ListeningSocket> sockets) {
        return sockets.stream().map(ProcNet.ListeningSocket::inode).collect(Collectors.toSet());
    }
}
