package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.os.Posix;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control socket (DESIGN.md rule 8) has two locks: the file's mode 0600 keeps other users from connecting at
 * all, and the master checks every peer's uid (SO_PEERCRED) in case the file was made reachable anyway. A process of
 * the master's own uid still gets no sockets unless it is one of the master's workers (or its new master). After
 * each refusal the master serves on and obeys its own user.
 */
class ControlSocketIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void anotherUidIsRefusedByTheFileModeAndByThePeerCheck() throws Exception {
        assumeTrue(Posix.geteuid() == 0, "running a client as another uid needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) missing");
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 1, true, "one")).start();
        Path sock = controlSocket(p);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");

        // first lock: nobody cannot even connect to a 0600 root socket
        Result denied = asNobody(p, "-s", "reload");
        assertThat(denied.exitCode()).as(denied.output()).isEqualTo(1);
        assertThat(denied.output()).contains("cannot reach the master process").contains("13: Permission denied");

        // second lock: the file made reachable by mistake, the master still refuses the uid
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        Result refused = asNobody(p, "-s", "reload");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        Await.until(WAIT, () -> "the refusal logged:\n" + p.prefix().errorLogText(),
                () -> p.prefix().errorLogText().contains("[alert]")
                        && p.prefix().errorLogText().contains("control connection from uid 65534"));
        assertThat(p.prefix().errorLogText()).as("neither client made it reload").doesNotContain("reconfiguring");

        // the master serves on and still obeys root
        assertThat(RawHttp.get(port, "/").bodyText()).startsWith("one ");
        assertThat(p.run("-s", "reload").exitCode()).isZero();
        assertThat(p.prefix().errorLogText()).contains("reconfiguring");
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
    }

    @Test
    void aProcessOfTheSameUidThatIsNotAWorkerGetsNoSockets() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 1, true, "one")).start();
        Path sock = controlSocket(p);
        long me = ProcessHandle.current().pid();

        for (ControlMessage.Role role : ControlMessage.Role.values()) {
            try (ControlChannel ch = ControlChannel.connect(sock)) {
                ch.send(new ControlMessage.Hello(role, me));
                assertThatThrownBy(ch::receive).as("%s hello from pid %d", role, me)
                        .isInstanceOf(EOFException.class); // closed, no Assign, no Handoff, no descriptor
            }
        }
        Await.until(WAIT, () -> "both refusals logged:\n" + p.prefix().errorLogText(), () -> {
            String log = p.prefix().errorLogText();
            return log.contains("control connection from process " + me + " that is not a worker of this master")
                    && log.contains("process " + me + " asked for the listening sockets but is not this master's");
        });
        assertThat(RawHttp.get(port, "/").bodyText()).startsWith("one ");
        assertThat(p.run("-s", "reload").exitCode()).isZero();
    }

    /** The master's control socket, once it is there (the ports accept before it is created). */
    private static Path controlSocket(PierInstance p) {
        Path sock = p.prefix().logs().resolve("pier.sock");
        Await.until(WAIT, "the control socket and the pid file",
                () -> Files.exists(sock) && Files.exists(p.prefix().pidFile()));
        return sock;
    }

    private record Result(int exitCode, String output) {
    }

    /** {@code bin/pier ARGS -p PREFIX -c conf/pier.conf} as uid/gid 65534 with no supplementary groups. */
    private static Result asNobody(PierInstance p, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                PierInstance.launcher().toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-p", p.prefix().dir().toString(), "-c", "conf/pier.conf"));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                .directory(p.prefix().cwd().toFile()).start();
        proc.getOutputStream().close();
        if (!proc.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("pier " + String.join(" ", args) + " as nobody still running");
        }
        return new Result(proc.exitValue(), new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
