package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code pier -s quit|stop}: the CLI reaches the running master and does what QUIT and TERM do. */
class SignalsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @ParameterizedTest(name = "-s {0}")
    @ValueSource(strings = {"quit", "stop"})
    void cliStopsTheRunningMaster(String command) {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<ProcessHandle> workers = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);

        try (RawHttp idle = RawHttp.connect(port)) {
            assertThat(idle.send(RawHttp.request("GET", "/hello")).read().status()).isEqualTo(200);

            CliResult r = p.run("-s", command);

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(idle.awaitClosed(Duration.ofSeconds(10))).as("idle keep-alive connection closed").isTrue();
        }
        assertThat(p.awaitExit(Duration.ofSeconds(20))).as("master exit code").isZero();
        Await.until(Duration.ofSeconds(5), "workers gone", () -> workers.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(p.prefix().pidFile()).as("pid file removed").doesNotExist();
        assertThat(PierInstance.accepts(port)).as("port closed").isFalse();
    }
}
