package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A port already taken by another process: nginx's bind() error, exit 1, nothing left running or listening. */
class BindErrorIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void portInUseFailsStartup() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = squatter.getLocalPort();
            PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port));

            CliResult r = p.run();

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stderrLines()).as(r.toString())
                    .contains("pier: [emerg] bind() to 127.0.0.1:" + port + " failed (98: Address already in use)");
            assertThat(p.prefix().pidFile()).doesNotExist();
            assertThat(ProcNet.allListening(port)).as("only the squatter listens on the port")
                    .containsExactlyElementsOf(ProcNet.listening(ProcessHandle.current().pid(), port));
            assertThat(PierProcesses.runningUnder(p.prefix().root())).as("no process left behind").isEmpty();
        }
    }
}
