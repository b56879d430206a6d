package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptQueueTest {

    @Test
    void countsEstablishedConnectionsNobodyAcceptedYet() throws Exception {
        int fd = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), 0)));
        List<Socket> clients = new ArrayList<>();
        try {
            int port = ListenSockets.localPort(fd);
            assertThat(AcceptQueues.length(fd)).isZero();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                clients.add(s);
            }
            // the handshake completes in the kernel; the connections wait in the accept queue
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (AcceptQueues.length(fd) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(AcceptQueues.length(fd)).isEqualTo(3);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            Fds.close(fd);
        }
    }

    @Test
    void aUnixListenerHasNoTcpQueueToReport() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pier-aq");
        java.nio.file.Path path = dir.resolve("s.sock");
        int fd = ListenSockets.open(ListenSpec.of(new ListenAddress.Unix(path)));
        try {
            assertThat(AcceptQueues.length(fd)).isZero();
        } finally {
            Fds.close(fd);
            java.nio.file.Files.deleteIfExists(path);
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void aClosedDescriptorIsAnErrorNamingIt() throws Exception {
        int fd = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), 0)));
        Fds.close(fd);
        assertThatThrownBy(() -> AcceptQueues.length(fd)).isInstanceOf(OsException.class)
                .hasMessageContaining("getsockopt(TCP_INFO) fd " + fd).hasMessageContaining("Bad file descriptor");
    }
}
