package dev.pier.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.os.AcceptQueues;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index model of a reuseport group must stay the kernel's: connections are steered by group index, so a wrong
 * model sends them to the wrong (maybe retiring) socket. Each test checks where connections really land by reading
 * the accept queues (nobody accepts).
 */
class SocketGroupTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ListenSpec spec(int port) {
        return ListenSpec.of(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), port)).withReuseport(true);
    }

    private static List<Socket> connect(int port, int n) throws Exception {
        List<Socket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            out.add(s);
        }
        Thread.sleep(50); // handshakes complete in the kernel; let the queues settle
        return out;
    }

    @Test
    void steeringSendsEveryConnectionToTheLiveSlots() throws Exception {
        int port = freePort();
        SocketGroup g = SocketGroup.open(spec(port), 3);
        List<Socket> clients = new ArrayList<>();
        try {
            g.steer(Set.of(1));
            clients.addAll(connect(port, 30));
            assertThat(g.queued(1)).isEqualTo(30);
            assertThat(g.queued(0)).isZero();
            assertThat(g.queued(2)).isZero();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            g.close();
        }
    }

    @Test
    void closingASlotKeepsTheModelInStepWithTheKernel() throws Exception {
        int port = freePort();
        SocketGroup g = SocketGroup.open(spec(port), 3);
        List<Socket> clients = new ArrayList<>();
        try {
            // closing slot 0 moves the last member (slot 2) into index 0; steering to slot 2 must follow it
            g.closeSlot(0);
            g.steer(Set.of(2));
            clients.addAll(connect(port, 20));
            assertThat(g.queued(2)).isEqualTo(20);
            assertThat(g.queued(1)).isZero();

            // a slot opened again joins at the end of the group
            g.openSlot(0);
            g.steer(Set.of(0));
            clients.addAll(connect(port, 10));
            assertThat(g.queued(0)).isEqualTo(10);
            assertThat(g.queued(2)).isEqualTo(20);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            g.close();
        }
    }

    @Test
    void anAdoptedGroupKeepsTheHandedOverOrder() throws Exception {
        int port = freePort();
        SocketGroup g = SocketGroup.open(spec(port), 2);
        List<Socket> clients = new ArrayList<>();
        try {
            g.closeSlot(0); // kernel order now: [slot 1]
            g.openSlot(0);  // kernel order now: [slot 1, slot 0]
            List<int[]> order = g.inGroupOrder();
            assertThat(order).extracting(sf -> sf[0]).containsExactly(1, 0);

            SocketGroup adopted = SocketGroup.adopt(g.spec(), List.of(order.get(0)[0], order.get(1)[0]),
                    List.of(order.get(0)[1], order.get(1)[1]));
            adopted.steer(Set.of(0));
            clients.addAll(connect(port, 10));
            assertThat(AcceptQueues.length(adopted.fd(0))).isEqualTo(10);
            assertThat(AcceptQueues.length(adopted.fd(1))).isZero();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            g.close();
        }
    }
}
