package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload (HUP / {@code -s reload}) builds a whole new generation or keeps the old one (DESIGN rule 5): a valid config
 * brings new workers on the same slot sockets with no failed request; an invalid one leaves the old workers serving.
 */
class ReloadIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void reloadReplacesWorkersOnTheSameSocketsWithoutFailures() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<Long> oldPids = ReuseportIT.awaitWorkersHoldingSockets(p, port).stream().map(ProcessHandle::pid).toList();
        Set<Long> sockets = ReuseportIT.inodes(ProcNet.listening(p.masterPid(), port));
        assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");

        List<LoadLoop.Outcome> outcomes;
        try (LoadLoop load = new LoadLoop(port, "/", 4, Duration.ofSeconds(10), 2)) {
            Await.sleep(500);
            p.writeConf(Confs.twoWorkers(port).replace("return 200 \"hello\\n\";", "return 200 \"v2\\n\";"));
            p.signal("HUP");
            Await.until(Duration.ofSeconds(20), "new config served",
                    () -> RawHttp.get(port, "/hello").bodyText().equals("v2\n"));
            Await.until(Duration.ofSeconds(20), () -> "old workers " + oldPids + " gone, have " + p.workerPids(),
                    () -> p.workerPids().stream().noneMatch(oldPids::contains) && p.workers().size() == 2);
            Await.sleep(500);
            load.stop();
            outcomes = load.outcomes();
        }

        assertThat(outcomes).as("requests during the reload").hasSizeGreaterThan(20);
        assertThat(outcomes).as("failed requests during the reload").filteredOn(o -> !o.ok()).isEmpty();
        assertThat(ReuseportIT.inodes(ProcNet.listening(p.masterPid(), port))).as("master kept its sockets")
                .isEqualTo(sockets);
        List<ProcessHandle> fresh = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        Set<Long> held = new java.util.HashSet<>();
        fresh.forEach(h -> held.addAll(ReuseportIT.inodes(ProcNet.listening(h.pid(), port))));
        assertThat(held).as("new workers hold the same slot sockets").isEqualTo(sockets);
    }

    /**
     * Options a live socket can take (backlog, buffers, deferred) are applied to the same sockets on reload, as nginx
     * does; one it cannot (reuseport) is kept with a warning. The master's sockets are never replaced.
     */
    @Test
    void reloadAppliesLiveSocketOptionsToTheSameSocketsAndWarnsAboutTheRest() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, true, "gen-a")).start();
        Ops.awaitServing(p, p.masterPid(), port, 2);
        Set<Long> sockets = Ops.inodes(p.masterPid(), port);

        p.writeConf(Confs.tagged(port, 2, true, "gen-b").replace(" reuseport;",
                " reuseport backlog=77 rcvbuf=100000 deferred;"));
        p.signal("HUP");
        Ops.awaitServed(port, "gen-b");
        assertThat(Ops.inodes(p.masterPid(), port)).as("the same sockets").isEqualTo(sockets);
        assertThat(SocketStats.listening(port)).as("ss -ltnm for port %d", port).allSatisfy(line -> assertThat(line)
                .contains(" 77 ").contains("rb200000"));
        assertThat(p.prefix().errorLogText()).doesNotContain("keeps its");

        p.writeConf(Confs.tagged(port, 2, false, "gen-c"));
        p.signal("HUP");
        Ops.awaitServed(port, "gen-c");
        assertThat(Ops.inodes(p.masterPid(), port)).as("still the same sockets").isEqualTo(sockets);
        Await.until(Duration.ofSeconds(10), "the warning about reuseport", () -> p.prefix().errorLogText().lines()
                .anyMatch(l -> l.contains("[warn]") && l.contains("keeps its reuseport")));
    }

    @Test
    void invalidConfigKeepsTheOldGeneration() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<Long> oldPids = ReuseportIT.awaitWorkersHoldingSockets(p, port).stream().map(ProcessHandle::pid).toList();
        String bad = Confs.twoWorkers(port).replace("root html;", "root html;\n        lsten 1;");
        p.writeConf(bad);

        String message = "unknown directive \"lsten\" in " + p.prefix().confFile() + ":"
                + ConfigTestIT.lineOf(bad, "lsten");

        // like nginx, "-s reload" reads the config first and refuses to signal with a broken one
        CliResult r = p.run("-s", "reload");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).as(r.toString()).contains("pier: [emerg] " + message);

        // the master itself, sent HUP, must reject the config and keep its workers
        p.signal("HUP");
        // error.log lines read "DATE TIME [emerg] PID#TID: MESSAGE", as nginx's
        Await.until(Duration.ofSeconds(10), () -> "error.log has [emerg] ... " + message + ":\n"
                + p.prefix().errorLogText(), () -> p.prefix().errorLogText().lines()
                .anyMatch(l -> l.contains(" [emerg] ") && l.endsWith(": " + message)));
        Await.sleep(500);
        assertThat(p.workerPids()).as("old workers untouched").containsExactlyInAnyOrderElementsOf(oldPids);
        assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
    }
}
