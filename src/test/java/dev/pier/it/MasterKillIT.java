package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The master killed with SIGKILL: every worker notices its control connection close and exits at once (no orphan
 * keeps serving an old configuration), and a new bin/pier starts cleanly on the same port despite the stale
 * pid file and control socket left behind.
 */
class MasterKillIT {
    /**
     * Gone, or a zombie: the process has exited and only waits to be reaped by whoever adopted it (here the
     * container's init, which can take a second or two: not the worker's doing).
     */
    static boolean exited(ProcessHandle h) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "status"))
                    .stream().anyMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (java.io.IOException e) {
            return true; // gone meanwhile
        }
    }

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void workersDieWithTheirMasterAndANewMasterStartsCleanly() {
        int port = Ports.free();
        String conf = Confs.twoWorkers(port);
        PierInstance first = pier.newInstance().writeConf(conf).start();
        List<ProcessHandle> workers = ReuseportIT.awaitWorkersHoldingSockets(first, port);
        List<ProcessHandle> all = first.children();
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);

        PierInstance.signal("KILL", first.masterPid());
        long killed = System.nanoTime();
        Await.until(Duration.ofSeconds(5), "workers of the killed master exit",
                () -> all.stream().allMatch(MasterKillIT::exited));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("[pier-it] master SIGKILL to the last worker's exit: " + took.toMillis() + " ms");
        assertThat(took).as("kill of the master to the last worker's exit").isLessThanOrEqualTo(Duration.ofSeconds(1));
        Await.until(Duration.ofSeconds(10), "the exited workers reaped", () -> all.stream()
                .noneMatch(ProcessHandle::isAlive));
        assertThat(workers).isNotEmpty();
        assertThat(first.prefix().pidFile()).as("stale pid file left by SIGKILL").exists();

        PierInstance second = pier.newInstance(first.prefix()).start();
        ReuseportIT.awaitWorkersHoldingSockets(second, port);
        Await.until(Duration.ofSeconds(30), "the new master serves",
                () -> RawHttp.get(port, "/hello").status() == 200);
        assertThat(second.pidFromFile()).contains(second.masterPid());
        assertThat(second.run("-s", "quit").exitCode()).as("the new control socket answers").isZero();
        assertThat(second.awaitExit(Duration.ofSeconds(20))).isZero();
    }
}
