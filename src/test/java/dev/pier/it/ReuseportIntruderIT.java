package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reuseport group hijack: any process of Pier's uid can bind Pier's port with SO_REUSEPORT and join the group. The
 * group's BPF program selects only Pier's own sockets, so the intruder is given no connection at all, and the master
 * notices the foreign member and says so with an {@code [alert]}.
 */
class ReuseportIntruderIT {
    private static final int CONNECTIONS = 300;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void anIntruderInTheGroupGetsNoConnectionAndIsReported() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, true, "pier")).start();
        ReuseportIT.awaitWorkersHoldingSockets(p, port);
        Set<Long> pierSockets = ReuseportIT.inodes(ProcNet.listening(p.masterPid(), port));

        try (ServerSocketChannel intruder = ServerSocketChannel.open()) {
            intruder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            intruder.bind(new InetSocketAddress("127.0.0.1", port), 128);
            intruder.configureBlocking(false);
            Set<Long> mine = ReuseportIT.inodes(ProcNet.listening(ProcessHandle.current().pid(), port));
            assertThat(mine).as("the intruder socket").hasSize(1);
            long inode = mine.iterator().next();
            assertThat(ReuseportIT.inodes(ProcNet.allListening(port))).as("the intruder joined Pier's group")
                    .contains(inode).containsAll(pierSockets);

            Set<String> workers = new HashSet<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                // a connection the kernel gave the intruder would sit unanswered in its queue: the read times out
                HttpResponse r;
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(5), 0)) {
                    r = c.send(RawHttp.request("GET", "/", "Connection: close")).read();
                }
                assertThat(r.status()).as("connection %d", i).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("pier ");
                workers.add(r.bodyText().strip());
            }
            assertThat(intruder.accept()).as("nothing queued on the intruder's socket").isNull();
            assertThat(workers).as("both of Pier's workers served").hasSize(2);

            Await.until(WAIT, () -> "an [alert] about inode " + inode + ":\n" + p.prefix().errorLogText(),
                    () -> p.prefix().errorLogText().lines().anyMatch(l -> l.contains("[alert]")
                            && l.contains("not Pier's (inode " + inode + ")") && l.contains(":" + port)));
            assertThat(intruder.accept()).isNull();
        }
        assertThat(RawHttp.get(port, "/").status()).as("Pier serves on after the intruder left").isEqualTo(200);
        assertThat(List.of(p.masterPid())).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false));
    }

    /**
     * With one worker there is no stall to look for, so the master's loop wakes only once a second, for this search
     * (MasterIdleIT): the foreign member is still reported.
     */
    @Test
    void withOneWorkerTheMasterStillLooksForIntruders() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 1, true, "pier")).start();
        Await.until(WAIT, () -> "the worker ready:\n" + p.prefix().errorLogText(),
                () -> !p.prefix().readyLines().isEmpty());
        try (ServerSocketChannel intruder = ServerSocketChannel.open()) {
            intruder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            intruder.bind(new InetSocketAddress("127.0.0.1", port), 128);
            long inode = ReuseportIT.inodes(ProcNet.listening(ProcessHandle.current().pid(), port)).iterator().next();
            Await.until(WAIT, () -> "an [alert] about inode " + inode + ":\n" + p.prefix().errorLogText(),
                    () -> p.prefix().errorLogText().lines().anyMatch(l -> l.contains("[alert]")
                            && l.contains("not Pier's (inode " + inode + ")")));
            assertThat(RawHttp.get(port, "/").status()).as("Pier serves on").isEqualTo(200);
        }
    }
}
