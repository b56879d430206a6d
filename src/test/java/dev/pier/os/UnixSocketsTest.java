package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketsTest {
    private int[] pair;

    @BeforeEach
    void openPair() throws OsException {
        pair = UnixSockets.socketPair();
    }

    @AfterEach
    void closePair() {
        Fds.closeQuietly(pair);
    }

    @Test
    void passesDescriptorsThatReadTheSameFiles(@TempDir Path dir) throws Exception {
        int[] files = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                Path f = dir.resolve("f" + i);
                Files.writeString(f, "content " + i);
                files[i] = TestFiles.open(f);
            }
            UnixSockets.sendmsg(pair[0], "hello".getBytes(StandardCharsets.US_ASCII), files);
            UnixSockets.Received r = UnixSockets.recvmsg(pair[1], 100, 8);
            assertThat(new String(r.data(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(r.fds()).hasSize(3).doesNotContain(files);
            for (int i = 0; i < 3; i++) {
                // the received descriptor is a new number for the same open file
                Path viaProc = Path.of("/proc/self/fd/" + r.fds()[i]);
                assertThat(Files.readString(viaProc)).isEqualTo("content " + i);
                assertThat(Files.readSymbolicLink(viaProc)).isEqualTo(dir.resolve("f" + i));
            }
            Fds.closeQuietly(r.fds());
        } finally {
            Fds.closeQuietly(files);
        }
    }

    @Test
    void eofIsAnEmptyReceive() throws Exception {
        Fds.close(pair[0]);
        UnixSockets.Received r = UnixSockets.recvmsg(pair[1], 16, 4);
        assertThat(r.isEof()).isTrue();
        assertThat(r.fds()).isEmpty();
        pair[0] = -1;
    }

    @Test
    void tooManyDescriptorsIsAnErrorAndNoneLeak() throws Exception {
        int[] dups = {Fds.dup(pair[0]), Fds.dup(pair[0])};
        try {
            UnixSockets.sendmsg(pair[0], new byte[] {1}, dups);
            assertThatThrownBy(() -> UnixSockets.recvmsg(pair[1], 16, 1))
                    .isInstanceOf(IOException.class).hasMessageContaining("descriptors truncated");
        } finally {
            Fds.closeQuietly(dups);
        }
    }

    @Test
    void largeMessagesArriveWhole() throws Exception {
        byte[] big = new byte[600_000]; // more than a socket buffer: the sender loops on short writes
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        int dup = Fds.dup(pair[0]);
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                UnixSockets.sendmsg(pair[0], big, dup);
            } catch (OsException e) {
                throw new RuntimeException(e);
            }
        });
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        int fdsSeen = 0;
        while (got.size() < big.length) {
            UnixSockets.Received r = UnixSockets.recvmsg(pair[1], 65536, 4);
            if (fdsSeen == 0) {
                assertThat(r.fds()).as("descriptors arrive with the first byte").hasSize(1);
            } else {
                assertThat(r.fds()).isEmpty();
            }
            fdsSeen += r.fds().length;
            Fds.closeQuietly(r.fds());
            got.write(r.data());
        }
        send.get(10, TimeUnit.SECONDS);
        Fds.close(dup);
        assertThat(got.toByteArray()).isEqualTo(big);
    }

    @Test
    void peerCredOfASocketPairIsThisProcess() throws Exception {
        PeerCred cred = UnixSockets.peerCred(pair[1]);
        assertThat(cred.pid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(cred.uid()).isEqualTo(Posix.getuid());
    }

    @Test
    void receiveTimeoutGivesEagain() throws Exception {
        UnixSockets.setReceiveTimeout(pair[1], 50);
        assertThatThrownBy(() -> UnixSockets.recvmsg(pair[1], 16, 0))
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(11));
    }

    @Test
    void listenCreatesAPrivateSocketAndAcceptsConnections(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("control.sock");
        int server = UnixSockets.listen(path);
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            CompletableFuture<Integer> client = CompletableFuture.supplyAsync(() -> {
                try {
                    int c = UnixSockets.connect(path);
                    UnixSockets.sendmsg(c, new byte[] {42});
                    return c;
                } catch (OsException e) {
                    throw new RuntimeException(e);
                }
            });
            int conn = UnixSockets.accept(server);
            assertThat(UnixSockets.recvmsg(conn, 4, 0).data()).containsExactly(42);
            assertThat(UnixSockets.peerCred(conn).uid()).isEqualTo(Posix.geteuid());
            Fds.close(conn);
            Fds.close(client.get(10, TimeUnit.SECONDS));
        } finally {
            Fds.close(server);
        }
        // a dead listener's file is replaced
        int again = UnixSockets.listen(path);
        Fds.close(again);
    }

    @Test
    void connectToNothingNamesThePath(@TempDir Path dir) {
        Path path = dir.resolve("none.sock");
        assertThatThrownBy(() -> UnixSockets.connect(path))
                .hasMessage("connect() to unix:" + path + " failed (2: No such file or directory)");
    }
}
