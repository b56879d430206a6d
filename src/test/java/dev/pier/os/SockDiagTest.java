package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SockDiagTest {

    private static long inode(int fd) throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString(); // socket:[N]
        return Long.parseLong(link.substring(8, link.length() - 1));
    }

    @Test
    void listsTheListenersOfAPortAndNoConnections() throws Exception {
        int fd = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), 0)));
        int other = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), 0)));
        try (Socket client = new Socket()) {
            int port = ListenSockets.localPort(fd);
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            // the connected pair exists on the port too, but only the listener is LISTEN
            assertThat(SockDiag.tcpListeners(port)).containsExactly(inode(fd));
            assertThat(SockDiag.tcpListeners(ListenSockets.localPort(other))).containsExactly(inode(other));
        } finally {
            Fds.close(fd);
            Fds.close(other);
        }
        assertThat(SockDiag.tcpListeners(1)).isEmpty();
    }
}
