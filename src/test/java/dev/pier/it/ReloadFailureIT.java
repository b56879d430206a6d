package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reload that fails under load (DESIGN rule 5): the master logs {@code [emerg]} and keeps the old generation, whose
 * workers serve on untouched; no request fails, and a later valid reload still works.
 */
class ReloadFailureIT {
    private static final int WORKERS = 2;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void brokenConfigOnHupKeepsTheOldGenerationServing() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-a")).start();
        List<Long> oldPids = pids(Ops.awaitServing(p, p.masterPid(), port, WORKERS));
        String bad = Confs.tagged(port, WORKERS, true, "gen-bad").replace("server_name localhost;",
                "server_name localhost;\n        lsten 1;");
        String message = "unknown directive \"lsten\" in " + p.prefix().confFile() + ":"
                + ConfigTestIT.lineOf(bad, "lsten");

        try (MixedLoad load = MixedLoad.start(port, Ops.CLIENTS, Ops.BODY)) {
            Ops.awaitTraffic(load, 100);
            p.writeConf(bad);
            p.signal("HUP");
            Await.until(Ops.SETTLE, () -> "error.log has \"[emerg] PID#TID: " + message + "\":\n"
                    + p.prefix().errorLogText(), () -> p.prefix().errorLogText().lines()
                    .anyMatch(l -> l.contains(" [emerg] ") && l.endsWith(": " + message)));
            Ops.awaitTraffic(load, 300);
            assertThat(pids(p.workerInfos())).as("the old generation's workers, untouched")
                    .containsExactlyInAnyOrderElementsOf(oldPids);

            // the master is still able to reload once the file is fixed
            p.writeConf(Confs.tagged(port, WORKERS, true, "gen-b"));
            p.signal("HUP");
            Ops.awaitServed(port, "gen-b");
            Ops.awaitTraffic(load, 100);
            load.stop();
            Ops.assertNoFailures(load, load.outcomes(), 500);
            assertThat(load.servedWith("gen-bad")).as("nothing served from the broken config").isZero();
        }
    }

    @Test
    void unbindableNewAddressOnHupKeepsTheOldGenerationServing() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, WORKERS, true, "gen-a")).start();
        List<Long> oldPids = pids(Ops.awaitServing(p, p.masterPid(), port, WORKERS));
        try (ServerSocket taken = new ServerSocket();
             MixedLoad load = MixedLoad.start(port, Ops.CLIENTS, Ops.BODY)) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int busy = taken.getLocalPort();
            String conf = Confs.tagged(port, WORKERS, true, "gen-bad").replace("reuseport;",
                    "reuseport;\n        listen 127.0.0.1:" + busy + ";");
            Ops.awaitTraffic(load, 100);
            p.writeConf(conf);
            p.signal("HUP");
            String expected = "bind() to 127.0.0.1:" + busy + " failed (98: Address already in use)";
            Await.until(Ops.SETTLE, () -> "error.log has [emerg] ... " + expected + ":\n"
                    + p.prefix().errorLogText(), () -> p.prefix().errorLogText().lines()
                    .anyMatch(l -> l.contains(" [emerg] ") && l.contains(expected)));
            Ops.awaitTraffic(load, 300);
            load.stop();
            Ops.assertNoFailures(load, load.outcomes(), 300);
            assertThat(load.servedWith("gen-bad")).as("nothing served from the failed config").isZero();
            assertThat(ProcNet.listening(p.masterPid(), busy)).as("the master holds nothing on %d", busy).isEmpty();
        }
        assertThat(pids(p.workerInfos())).as("the old generation's workers, untouched")
                .containsExactlyInAnyOrderElementsOf(oldPids);
        assertThat(Ops.inodes(p.masterPid(), port)).as("the master's sockets").hasSize(WORKERS);
    }

    private static List<Long> pids(List<WorkerInfo> w) {
        return w.stream().map(WorkerInfo::pid).toList();
    }
}
