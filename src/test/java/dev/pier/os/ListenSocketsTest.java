package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.SoKeepalive;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenSocketsTest {

    private static ListenSpec loopback(int port) throws IOException {
        return ListenSpec.of(new ListenAddress.Inet(InetAddress.getByName("127.0.0.1"), port));
    }

    @Test
    void opensAListeningSocketThatAcceptsConnections() throws Exception {
        int fd = ListenSockets.open(loopback(0));
        try {
            assertThat(ListenSockets.isListening(fd)).isTrue();
            int port = ListenSockets.localPort(fd);
            assertThat(port).isPositive();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // lands in the accept queue
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            Fds.close(fd);
        }
        assertThat(Fds.isOpen(fd)).isFalse();
    }

    @Test
    void aTcpListenerHasTcpNoDelayForItsConnectionsToInherit() throws Exception {
        int fd = ListenSockets.open(loopback(0));
        try {
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, "getsockopt(TCP_NODELAY)"))
                    .isEqualTo(1);
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void secondBindFailsWithNginxWording() throws Exception {
        int fd = ListenSockets.open(loopback(0));
        try {
            int port = ListenSockets.localPort(fd);
            assertThatThrownBy(() -> ListenSockets.open(loopback(port)))
                    .isInstanceOf(OsException.class)
                    .hasMessage("bind() to 127.0.0.1:" + port + " failed (98: Address already in use)")
                    .satisfies(e -> assertThat(((OsException) e).errno()).isEqualTo(98));
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void reuseportSocketsShareAPort() throws Exception {
        int a = ListenSockets.open(loopback(0).withReuseport(true));
        int port = ListenSockets.localPort(a);
        int b = ListenSockets.open(loopback(port).withReuseport(true));
        try {
            assertThat(ListenSockets.localPort(b)).isEqualTo(port);
            assertThat(ListenSockets.getInt(b, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, "get")).isEqualTo(1);
        } finally {
            Fds.close(a);
            Fds.close(b);
        }
    }

    @Test
    void appliesEverySocketOption() throws Exception {
        ListenSpec spec = new ListenSpec(new ListenAddress.Inet(InetAddress.getByName("127.0.0.1"), 0), false, 100,
                65536, 32768, true, true, new SoKeepalive(SoKeepalive.Mode.ON, 30, 0, 5), 16, false);
        int fd = ListenSockets.open(spec);
        try {
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, "g")).isEqualTo(1);
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, "g")).isZero();
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, "g")).isEqualTo(1);
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, "g")).isEqualTo(30);
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, "g")).isEqualTo(5);
            // Linux doubles SO_RCVBUF/SO_SNDBUF for bookkeeping overhead
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, "g")).isEqualTo(2 * 65536);
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, "g")).isEqualTo(2 * 32768);
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_DEFER_ACCEPT, "g")).isPositive();
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_FASTOPEN, "g")).isEqualTo(16);
            ListenSockets.setBacklog(fd, 10);
            assertThat(ListenSockets.isListening(fd)).isTrue();
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void reconfigureChangesWhatALiveSocketAllowsAndNamesTheRest() throws Exception {
        ListenSpec cur = new ListenSpec(new ListenAddress.Inet(InetAddress.getByName("127.0.0.1"), 0), false, 100,
                65536, 32768, true, false, new SoKeepalive(SoKeepalive.Mode.ON, 30, 0, 5), 16, false);
        int fd = ListenSockets.open(cur);
        try {
            ListenSpec next = new ListenSpec(cur.address(), true, 200, 131072, -1, false, false,
                    new SoKeepalive(SoKeepalive.Mode.ON, 60, 0, 5), -1, true);
            assertThat(ListenSockets.reconfigure(fd, cur, next)).containsExactly("reuseport", "sndbuf");
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, "g")).isEqualTo(2 * 131072);
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, "g")).as("kept").isEqualTo(2 * 32768);
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, "g")).isEqualTo(60);
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_DEFER_ACCEPT, "g")).as("deferred off")
                    .isZero();
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_TCP, Libc.TCP_FASTOPEN, "g")).as("fastopen off")
                    .isZero();
            assertThat(ListenSockets.getInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, "g")).as("kept").isZero();
            assertThat(ListenSockets.isListening(fd)).isTrue();
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void opensIpv6ListenersWithV6only() throws Exception {
        // Only [::1]: the kernel forces IPV6_V6ONLY on any socket bound to a specific IPv6 address, so ipv6only=off
        // is observable only on [::], which a test must not bind.
        int fd = ListenSockets.open(ListenSpec.of(new ListenAddress.Inet(InetAddress.getByName("::1"), 0)));
        try {
            assertThat(ListenSockets.getInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, "g")).isEqualTo(1);
            int port = ListenSockets.localPort(fd);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("::1", port), 2000);
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void unixListenerReplacesAStaleSocketAndIsWorldWritableLikeNginx(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("pier.sock");
        ListenSpec spec = ListenSpec.of(new ListenAddress.Unix(path));
        int first = ListenSockets.open(spec);
        // a live listener is never removed
        assertThatThrownBy(() -> ListenSockets.open(spec))
                .hasMessage("bind() to unix:" + path + " failed (98: Address already in use)");
        Fds.close(first); // the file stays behind, as after a crash
        assertThat(ListenSockets.isSocketFile(path)).isTrue();
        int second = ListenSockets.open(spec);
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw-rw-");
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertThat(c.connect(UnixDomainSocketAddress.of(path))).isTrue();
            }
        } finally {
            Fds.close(second);
        }
    }

    @Test
    void unixListenerNeverRemovesARegularFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("not-a-socket");
        Files.writeString(path, "data");
        assertThatThrownBy(() -> ListenSockets.open(ListenSpec.of(new ListenAddress.Unix(path))))
                .isInstanceOf(OsException.class)
                .hasMessageContaining("(98: Address already in use)");
        assertThat(Files.readString(path)).isEqualTo("data");
    }
}
