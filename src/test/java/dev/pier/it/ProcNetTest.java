package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self-check of {@link ProcNet} and {@link Ports} against plain JDK sockets in this JVM. */
class ProcNetTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void findsOwnListenerByPortAndNotItsConnections() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket accepted = server.accept()) {
                assertThat(client.isConnected() && accepted.isConnected()).isTrue();
                List<ProcNet.ListeningSocket> mine = ProcNet.listening(SELF, port);
                assertThat(mine).hasSize(1); // the connected client and accepted sockets are not in state LISTEN
                assertThat(ProcNet.allListening(port)).containsExactlyElementsOf(mine);
                assertThat(ProcNet.socketInodes(SELF)).contains(mine.getFirst().inode()).hasSizeGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void twoListenersAreTwoInodes() throws Exception {
        try (ServerSocket a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(ProcNet.listening(SELF, a.getLocalPort())).hasSize(1);
            assertThat(ProcNet.listening(SELF, b.getLocalPort())).hasSize(1);
            assertThat(ProcNet.listening(SELF, a.getLocalPort()).getFirst().inode())
                    .isNotEqualTo(ProcNet.listening(SELF, b.getLocalPort()).getFirst().inode());
        }
    }

    @Test
    void closedListenerDisappears() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            assertThat(Ports.bindable(port)).isFalse();
        }
        assertThat(ProcNet.listening(SELF, port)).isEmpty();
        assertThat(Ports.bindable(port)).isTrue();
    }

    @Test
    void goneProcessHasNoSockets() {
        assertThat(ProcNet.socketInodes(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void parsesIpv4AndIpv6Rows() {
        List<ProcNet.ListeningSocket> out = new ArrayList<>();
        ProcNet.parseRow("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 "
                + "4242 1 0000000000000000 100 0 0 10 0", out);
        ProcNet.parseRow("   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 "
                + "4343 1 0000000000000000 20 4 30 10 -1", out);
        ProcNet.parseRow("   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "
                + "00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0", out);
        assertThat(out).containsExactly(new ProcNet.ListeningSocket(4242, 8080), new ProcNet.ListeningSocket(99, 80));
    }

    @Test
    void freePortsAreBindableAndDistinctEnough() {
        int a = Ports.free();
        int b = Ports.free();
        assertThat(a).isBetween(1024, 65535);
        assertThat(b).isNotEqualTo(a);
        assertThat(Ports.bindable(a)).isTrue();
    }
}
