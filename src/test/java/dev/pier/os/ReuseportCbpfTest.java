package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two reuseport listeners on one loopback port; index 0 is the first to listen(). */
class ReuseportCbpfTest {
    private static final int CLIENTS = 50;

    private int first = -1;
    private int second = -1;
    private int port;

    @BeforeEach
    void openGroup() throws Exception {
        ListenAddress.Inet any = new ListenAddress.Inet(InetAddress.getByName("127.0.0.1"), 0);
        first = ListenSockets.open(ListenSpec.of(any).withReuseport(true));
        port = ListenSockets.localPort(first);
        second = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(any.host(), port)).withReuseport(true));
        // accept honours SO_RCVTIMEO: an empty queue then fails with EAGAIN instead of blocking
        UnixSockets.setReceiveTimeout(first, 200);
        UnixSockets.setReceiveTimeout(second, 200);
    }

    @AfterEach
    void closeGroup() {
        Fds.closeQuietly(first);
        Fds.closeQuietly(second);
    }

    @Test
    void programReturningIndexZeroSendsEverythingToTheFirstSocket() throws Exception {
        ReuseportCbpf.attach(second, new int[] {0}); // any member attaches for the whole group
        assertThat(connectAndCount()).containsExactly(CLIENTS, 0);
    }

    @Test
    void programReturningIndexOneSendsEverythingToTheSecondSocket() throws Exception {
        ReuseportCbpf.attach(first, new int[] {1});
        assertThat(connectAndCount()).containsExactly(0, CLIENTS);
        ReuseportCbpf.attach(first, new int[] {0}); // a new program replaces the old one
        assertThat(connectAndCount()).containsExactly(CLIENTS, 0);
    }

    @Test
    void programOverBothIndicesUsesBoth() throws Exception {
        // the flow hash of loopback SYNs is the client socket's random txhash, so 50 flows reach both sockets
        ReuseportCbpf.attach(first, new int[] {1, 0});
        int[] counts = connectAndCount();
        assertThat(counts[0] + counts[1]).isEqualTo(CLIENTS);
        assertThat(counts[0]).isPositive();
        assertThat(counts[1]).isPositive();
    }

    /** Connects the clients, then drains both accept queues; returns how many each socket had. */
    private int[] connectAndCount() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            return new int[] {drain(first), drain(second)};
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    private static int drain(int listener) throws OsException {
        int accepted = 0;
        while (true) {
            int conn;
            try {
                conn = UnixSockets.accept(listener);
            } catch (OsException e) {
                if (e.errno() == 11) {
                    return accepted;
                }
                throw e;
            }
            Fds.close(conn);
            accepted++;
        }
    }
}
