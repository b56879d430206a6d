package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code daemon on}: the launching command returns once the detached master has bound its sockets and written the
 * pid file; the master runs in a session of its own, serves, and stops on {@code pier -s quit}.
 */
class DaemonIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void daemonOnDetachesAServingMaster() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                daemon on;
                worker_processes 1;
                worker_spares 0;
                error_log logs/error.log info;
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location = /hello { return 200 "hello\\n"; }
                    }
                }
                """.formatted(port));

        CliResult start = p.run();

        assertThat(start.exitCode()).as(start.toString()).isZero();
        long master = p.pidFromFile().orElseThrow(() -> new AssertionError("no pid file after daemon start"));
        ProcessHandle handle = ProcessHandle.of(master).orElseThrow(() -> new AssertionError("master not running"));
        assertThat(PierInstance.accepts(port)).as("sockets bound before the command returned").isTrue();
        assertThat(dev.pier.os.ProcessTitle.of(master)).isEqualTo("pier:master");
        Await.until(Duration.ofSeconds(30), "a 200 from the daemon",
                () -> RawHttp.get(port, "/hello").status() == 200);

        CliResult quit = p.run("-s", "quit");

        assertThat(quit.exitCode()).as(quit.toString()).isZero();
        Await.until(Duration.ofSeconds(20), "daemon exited", () -> !handle.isAlive());
        assertThat(p.prefix().pidFile()).as("pid file removed").doesNotExist();
    }
}
