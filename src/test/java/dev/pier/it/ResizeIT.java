package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changing {@code worker_processes} with {@code reuseport} while traffic flows (DESIGN rules 2 and 3): growing opens
 * sockets for the new slots; shrinking steers new connections away from the retiring slots (CBPF on the group), lets
 * their old workers drain the accept queues, and only then closes them. nginx resets every connection queued on a
 * retired socket; Pier must not lose one.
 */
class ResizeIT {
    /** The pool sizes the config cycles through after starting with 2. */
    private static final int[] SIZES = {4, 1, 3, 2};
    private static final long STEP_MS = 2500;
    private static final int QUEUED = 50;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void resizingThePoolUnderLoadLosesNoRequest() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, true, "gen-w2")).start();
        Ops.awaitServing(p, p.masterPid(), port, 2);

        List<MixedLoad.Outcome> outcomes;
        try (MixedLoad load = MixedLoad.start(port, Ops.CLIENTS, Ops.BODY)) {
            Ops.awaitTraffic(load, 100);
            for (int n : SIZES) {
                long began = System.nanoTime();
                p.writeConf(Confs.tagged(port, n, true, "gen-w" + n));
                CliResult r = p.run("-s", "reload");
                assertThat(r.exitCode()).as("pier -s reload to %d workers: %s", n, r).isZero();
                // -s reload returns once the new generation is ready, so it serves now
                assertThat(RawHttp.get(port, "/").bodyText()).as("served right after the reload to %d", n)
                        .startsWith("gen-w" + n + " ");
                List<WorkerInfo> now = Ops.awaitServing(p, p.masterPid(), port, n);
                assertThat(now).as("one worker per slot").extracting(WorkerInfo::slot)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
                long left = STEP_MS - Duration.ofNanos(System.nanoTime() - began).toMillis();
                if (left > 0) {
                    Await.sleep(left);
                }
            }
            // the last shrink's retiring sockets close once drained (2 s of empty accept queue)
            Await.until(Ops.SETTLE, () -> "the master holds 2 sockets on " + port + ": "
                    + ProcNet.listening(p.masterPid(), port), () -> Ops.inodes(p.masterPid(), port).size() == 2);
            Ops.awaitTraffic(load, 200);
            load.stop();
            outcomes = load.outcomes();
            Ops.assertNoFailures(load, outcomes, 1000);
            for (int n : SIZES) {
                assertThat(load.servedWith("gen-w" + n)).as("the %d-worker config served", n).isPositive();
            }
        }
        List<WorkerInfo> end = Ops.awaitServing(p, p.masterPid(), port, 2);
        assertThat(ReuseportIT.inodes(ProcNet.allListening(port))).as("no listener left on the port but the pool's")
                .isEqualTo(Ops.inodes(p.masterPid(), port));
        java.util.Set<Long> held = new java.util.HashSet<>();
        end.forEach(w -> held.addAll(Ops.inodes(w.pid(), port)));
        assertThat(held).as("the 2 workers hold the master's 2 sockets").isEqualTo(Ops.inodes(p.masterPid(), port));
    }

    /**
     * The retiring slot's worker is stopped (SIGSTOP) with connections waiting in its accept queue when the pool
     * shrinks from 2 to 1: those connections must still be answered once it resumes, not reset when the socket goes.
     */
    @Test
    void connectionsQueuedOnARetiringSlotAreServed() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, true, "gen-two")).start();
        List<WorkerInfo> workers = Ops.awaitServing(p, p.masterPid(), port, 2);
        WorkerInfo victim = workers.get(1);
        assertThat(victim.slot()).as("the worker of slot 1").isEqualTo(1);
        long victimSocket = Ops.inodes(victim.pid(), port).iterator().next();

        PierInstance.signal("STOP", victim.pid());
        List<CompletableFuture<HttpResponse>> answers = new ArrayList<>();
        List<RawHttp> conns = new ArrayList<>();
        try {
            for (int i = 0; i < QUEUED; i++) {
                RawHttp c = RawHttp.connect(port, Duration.ofSeconds(20), 0);
                conns.add(c);
                c.send(RawHttp.request("GET", "/", "Connection: close"));
                answers.add(CompletableFuture.supplyAsync(c::read));
            }
            Await.sleep(500);
            long waiting = answers.stream().filter(f -> !f.isDone()).count();
            assertThat(waiting).as("requests queued on the stopped worker's socket").isPositive();

            p.writeConf(Confs.tagged(port, 1, true, "gen-one"));
            CliResult r = p.run("-s", "reload");
            assertThat(r.exitCode()).as("pier -s reload to 1 worker: %s", r).isZero();
            assertThat(RawHttp.get(port, "/").bodyText()).as("the new generation serves").startsWith("gen-one ");
            Await.sleep(1000);
            PierInstance.signal("CONT", victim.pid());

            List<String> bad = new ArrayList<>();
            long byVictim = 0;
            for (int i = 0; i < QUEUED; i++) {
                try {
                    HttpResponse resp = answers.get(i).get(30, TimeUnit.SECONDS);
                    if (resp.status() != 200 || !Ops.BODY.matcher(resp.bodyText()).matches()) {
                        bad.add("#" + i + ": " + resp);
                    } else if (resp.bodyText().equals("gen-two " + victim.pid() + "\n")) {
                        byVictim++;
                    }
                } catch (Exception e) {
                    bad.add("#" + i + ": " + (e.getCause() != null ? e.getCause() : e));
                }
            }
            assertThat(bad).as("of %d requests (%d were queued at the stopped worker)", QUEUED, waiting).isEmpty();
            assertThat(byVictim).as("requests the resumed worker of slot 1 served from its queue")
                    .isGreaterThanOrEqualTo(waiting > 0 ? 1 : 0).isPositive();
        } finally {
            PierInstance.signal("CONT", victim.pid());
            conns.forEach(RawHttp::close);
        }

        Await.until(Ops.SETTLE, () -> "the retired slot's worker " + victim.pid() + " exits",
                () -> !victim.handle().isAlive());
        Await.until(Ops.SETTLE, () -> "the retired socket closed, master holds "
                        + ProcNet.listening(p.masterPid(), port),
                () -> !Ops.inodes(p.masterPid(), port).contains(victimSocket)
                        && Ops.inodes(p.masterPid(), port).size() == 1);
        Ops.awaitServing(p, p.masterPid(), port, 1);
        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.get(port, "/").status()).as("fresh request %d after the shrink", i).isEqualTo(200);
        }
    }
}
