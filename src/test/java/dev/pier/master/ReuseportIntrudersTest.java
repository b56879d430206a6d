package dev.pier.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.os.Fds;
import dev.pier.os.AcceptQueues;
import dev.pier.os.ListenSockets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReuseportIntrudersTest {

    @Test
    void aSocketThatJoinsTheGroupIsReportedAndReceivesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ListenSpec spec = ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), port))
                .withReuseport(true);
        try (SocketTable table = SocketTable.open(List.of(spec), 2)) {
            table.steer(java.util.Set.of(0, 1), dev.pier.log.ErrorLog.stderr(dev.pier.config.bind.LogLevel.EMERG));
            assertThat(table.intruders()).as("only Pier's own sockets").isEmpty();

            int intruder = ListenSockets.open(spec); // same uid, SO_REUSEPORT: the kernel lets it join
            try {
                long inode = ReuseportIntruders.inodeOf(intruder);
                assertThat(table.intruders()).containsEntry(spec.address(), java.util.Set.of(inode));

                // the group's program only selects Pier's slots: the intruder's queue stays empty
                List<java.net.Socket> clients = new java.util.ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    clients.add(new java.net.Socket(InetAddress.getLoopbackAddress(), port));
                }
                Thread.sleep(50);
                assertThat(AcceptQueues.length(intruder)).isZero();
                for (java.net.Socket c : clients) {
                    c.close();
                }
            } finally {
                Fds.close(intruder);
            }
        }
    }
}
