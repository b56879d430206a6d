package dev.pier.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.ipc.ControlMessage.Command;
import dev.pier.ipc.ControlMessage.CommandResult;
import dev.pier.ipc.ControlMessage.Hello;
import dev.pier.ipc.ControlMessage.Role;
import dev.pier.os.OsException;
import dev.pier.os.PeerCred;
import dev.pier.os.Posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    @Test
    void acceptsATrustedClientOnAPrivateSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("pier.sock");
        try (ControlServer server = ControlServer.listen(path)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            CompletableFuture<ControlMessage> client = CompletableFuture.supplyAsync(() -> {
                try (ControlChannel c = ControlChannel.connect(path)) {
                    c.send(new Hello(Role.CLIENT, Posix.getpid()));
                    c.send(new Command("reload"));
                    return c.receive().message();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ControlServer.Accepted accepted = server.acceptTrusted();
            try (ControlChannel channel = accepted.channel()) {
                assertThat(accepted.peer().uid()).isEqualTo(Posix.geteuid());
                assertThat(accepted.peer().pid()).isEqualTo(Posix.getpid());
                assertThat(channel.receive().message()).isEqualTo(new Hello(Role.CLIENT, Posix.getpid()));
                assertThat(channel.receive().message()).isEqualTo(new Command("reload"));
                channel.send(new CommandResult(true, "signal process started"));
            }
            assertThat(client.get(10, TimeUnit.SECONDS)).isEqualTo(new CommandResult(true, "signal process started"));
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void trustsOnlyItsOwnUidAndRoot(@TempDir Path dir) throws Exception {
        try (ControlServer server = ControlServer.listen(dir.resolve("s"))) {
            int me = Posix.geteuid();
            assertThat(server.isTrusted(new PeerCred(1, me, 0))).isTrue();
            assertThat(server.isTrusted(new PeerCred(1, 0, 0))).isTrue();
            assertThat(server.isTrusted(new PeerCred(1, me + 12345, 0))).isFalse();
        }
    }

    @Test
    void aSecondServerOnALivePathFails(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("pier.sock");
        try (ControlServer first = ControlServer.listen(path)) {
            assertThatThrownBy(() -> ControlServer.listen(path)).isInstanceOf(OsException.class)
                    .hasMessageContaining("(98: Address already in use)");
            assertThat(first.path()).isEqualTo(path);
        }
    }

    @Test
    void closeWakesABlockedAccept(@TempDir Path dir) throws Exception {
        ControlServer server = ControlServer.listen(dir.resolve("pier.sock"));
        CompletableFuture<Throwable> acceptor = CompletableFuture.supplyAsync(() -> {
            try {
                server.accept();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100);
        server.close();
        assertThat(acceptor.get(10, TimeUnit.SECONDS)).isInstanceOf(OsException.class);
    }
}
