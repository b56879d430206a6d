package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(ListenSockets.acceptQueueLength(fd)).isZero();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                clients.add(s);
            }
            // the handshake completes in the kernel; the connections wait in the accept queue
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (ListenSockets.acceptQueueLength(fd) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(ListenSockets.acceptQueueLength(fd)).isEqualTo(3);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            Fds.close(fd);
        }
    }
}
