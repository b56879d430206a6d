package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Binary upgrade under load (DESIGN rule 7): a new master started from {@code bin/pier} takes over every listening
 * socket from the old one. {@code pier -s upgrade} finishes by itself; nginx's USR2 / WINCH / QUIT sequence and its
 * roll-back (HUP the old master, QUIT the new one) are driven step by step. No request may fail in any of them, and
 * exactly one master with its workers is left, named by {@code logs/pier.pid}.
 */
class UpgradeIT {
    private static final int WORKERS = 2;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void upgradeCommandHandsOverWithoutFailures() {
        int port = Ports.free();
        PierInstance p = start(port);
        long old = p.masterPid();
        Set<Long> sockets = Ops.inodes(old, port);
        try (MixedLoad load = Ops.startLoad(port)) {
            CliResult r = p.run("-s", "upgrade");
            assertThat(r.exitCode()).as("pier -s upgrade: %s", r).isZero();
            long fresh = p.pidFromFile().orElseThrow();
            assertThat(fresh).as("pid file names the new master").isNotEqualTo(old);
            assertThat(p.awaitExit(Ops.SETTLE)).as("old master exit code").isZero();
            List<WorkerInfo> w = Ops.awaitServing(p, fresh, port, WORKERS);
            awaitServedByAll(load, w);
            Ops.stopLoad(load, 200, 500);
        }
        assertOneMaster(p, port, sockets);
        assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).as("old master gone").isEmpty();
    }

    @Test
    void usr2WinchQuitHandsOverWithoutFailures() {
        int port = Ports.free();
        PierInstance p = start(port);
        long old = p.masterPid();
        Set<Long> sockets = Ops.inodes(old, port);
        try (MixedLoad load = Ops.startLoad(port)) {
            long fresh = usr2AndWinch(p, load, port);
            p.signal("QUIT");
            assertThat(p.awaitExit(Ops.SETTLE)).as("old master exit code").isZero();
            Ops.stopLoad(load, 100, 500);
            assertThat(p.pidFromFile()).as("pid file").contains(fresh);
        }
        assertOneMaster(p, port, sockets);
    }

    @Test
    void rollBackRestoresTheOldMasterWithoutFailures() {
        int port = Ports.free();
        PierInstance p = start(port);
        long old = p.masterPid();
        Set<Long> sockets = Ops.inodes(old, port);
        try (MixedLoad load = Ops.startLoad(port)) {
            long fresh = usr2AndWinch(p, load, port);

            p.signal("HUP"); // nginx: the old master starts its workers again
            List<WorkerInfo> restarted = Ops.awaitServing(p, old, port, WORKERS);
            awaitServedByAll(load, restarted);
            ProcessHandle newMaster = ProcessHandle.of(fresh).orElseThrow();
            PierInstance.signal("QUIT", fresh);
            Await.until(Ops.SETTLE, () -> "new master " + fresh + " exits on QUIT", () -> !newMaster.isAlive());
            awaitBackTo(p, old);
            Ops.stopLoad(load, 200, 500);
        }
        assertThat(p.process().isAlive()).as("the old master serves on").isTrue();
        assertOneMaster(p, port, sockets);
    }

    @Test
    void brokenConfigUpgradeKeepsTheOldMasterServing() {
        int port = Ports.free();
        PierInstance p = start(port);
        long old = p.masterPid();
        List<Long> oldWorkers = p.workersOf(old).stream().map(WorkerInfo::pid).toList();
        String bad = Confs.tagged(port, WORKERS, true, "gen-new").replace("server_name localhost;",
                "server_name localhost;\n        lsten 1;");
        try (MixedLoad load = Ops.startLoad(port)) {
            p.writeConf(bad);
            // like nginx, the client parses the config first and refuses
            CliResult r = p.run("-s", "upgrade");
            assertThat(r.exitCode()).as("pier -s upgrade with a broken config: %s", r).isNotZero();
            assertThat(r.stderr()).as(r.toString()).contains("[emerg]").contains("lsten");

            p.signal("USR2");
            Await.until(Ops.SETTLE, () -> "the new master's [emerg] about \"lsten\" in its stderr or error.log:\n"
                    + p.output(), () -> (p.masterStderr() + p.prefix().errorLogText()).lines()
                    .anyMatch(l -> l.contains("[emerg]") && l.contains("unknown directive \"lsten\"")));
            awaitBackTo(p, old);
            Ops.stopLoad(load, 200, 500);
            assertThat(load.servedWith("gen-new")).as("nothing served from the broken config").isZero();
        }
        assertThat(p.masterPids()).as("no second master left").containsExactly(old);
        assertThat(p.workersOf(old)).extracting(WorkerInfo::pid).as("the old workers serve on, untouched")
                .containsExactlyInAnyOrderElementsOf(oldWorkers);
        assertThat(p.process().isAlive()).isTrue();
    }

    private PierInstance start(int port) {
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-old")).start();
        Ops.awaitServing(p, p.masterPid(), port, WORKERS);
        return p;
    }

    /**
     * USR2 to the launched master, waiting for nginx's pid files and the new master's workers serving; then WINCH: the
     * old master's workers quit, it stays, and the load is served on. Returns the new master's pid.
     */
    private static long usr2AndWinch(PierInstance p, MixedLoad load, int port) {
        long old = p.masterPid();
        p.signal("USR2");
        Await.until(Ops.SETTLE, () -> "pier.pid.oldbin names " + old + " and pier.pid a new master: "
                + p.oldbinPid() + " / " + p.pidFromFile(), () -> p.oldbinPid().equals(java.util.Optional.of(old))
                && p.pidFromFile().filter(n -> n != old).isPresent());
        long fresh = p.pidFromFile().orElseThrow();
        assertThat(ProcessHandle.of(fresh).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .as("the new master is the old one's child").contains(old);
        List<WorkerInfo> w = Ops.awaitServing(p, fresh, port, WORKERS);
        awaitServedByAll(load, w);
        assertThat(p.workersOf(old)).as("the old workers serve on until WINCH").hasSize(WORKERS);

        p.signal("WINCH");
        Await.until(Ops.SETTLE, () -> "old master's workers gone after WINCH: " + p.workersOf(old),
                () -> p.workersOf(old).isEmpty());
        assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).as("old master stays after WINCH")
                .contains(true);
        Ops.awaitTraffic(load, 100);
        return fresh;
    }

    /** Waits until {@code old} is the only master again, named by the pid file, with no {@code pier.pid.oldbin}. */
    private static void awaitBackTo(PierInstance p, long old) {
        Await.until(Ops.SETTLE, () -> "pid file back to the old master " + old + ": " + p.pidFromFile()
                + ", oldbin " + p.oldbinPid() + ", masters " + p.masterPids(),
                () -> p.pidFromFile().equals(java.util.Optional.of(old)) && p.oldbinPid().isEmpty()
                        && p.masterPids().equals(List.of(old)));
    }

    private static void awaitServedByAll(MixedLoad load, List<WorkerInfo> workers) {
        Await.until(Ops.SETTLE, () -> "every worker of " + workers + " answering: " + load.summary(),
                () -> workers.stream().allMatch(w -> load.servedBy(w.pid())));
    }

    /** Exactly one master, named by the pid file, with exactly its workers on the original sockets. */
    private static void assertOneMaster(PierInstance p, int port, Set<Long> sockets) {
        long master = p.pidFromFile().orElseThrow(() -> new AssertionError("no pid file"));
        assertThat(p.oldbinPid()).as("no pier.pid.oldbin left").isEmpty();
        List<WorkerInfo> w = Ops.awaitServing(p, master, port, WORKERS);
        Await.until(Ops.SETTLE, () -> "only master " + master + " and its workers left: " + p.allPids(), () -> {
            List<Long> expected = new ArrayList<>(w.stream().map(WorkerInfo::pid).toList());
            expected.add(master);
            // the master's warm spare (worker_spares 1) belongs to it too
            ProcessHandle.of(master).stream().flatMap(ProcessHandle::children)
                    .filter(h -> dev.pier.os.ProcessTitle.of(h.pid()).equals("pier:spare"))
                    .forEach(h -> expected.add(h.pid()));
            return p.allPids().equals(expected.stream().sorted().toList());
        });
        assertThat(p.masterPids()).as("masters").containsExactly(master);
        assertThat(Ops.inodes(master, port)).as("the master holds the original sockets").isEqualTo(sockets);
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
    }
}
