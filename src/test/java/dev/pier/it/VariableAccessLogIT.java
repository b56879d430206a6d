package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * access_log paths with variables in the real server: one file per rendered path, created by the worker process, so
 * with a root master the files belong to the worker user and the directory must be writable by it (nginx's rule).
 */
class VariableAccessLogIT {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void oneFilePerPathCreatedByTheWorker() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                user nobody nogroup;
                worker_processes 1;
                events { worker_connections 64; }
                http {
                    log_format u "$uri $arg_n";
                    open_log_file_cache max=4 inactive=30s;
                    server {
                        listen 127.0.0.1:%d;
                        access_log logs/vhosts/$arg_site.log u;
                        location /locked { access_log logs/locked/$arg_site.log u; return 204; }
                        location / { return 204; }
                    }
                }
                """.formatted(port));
        Path logs = p.prefix().logs();
        Path vhosts = Files.createDirectories(logs.resolve("vhosts"));
        Files.setPosixFilePermissions(vhosts, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(logs.resolve("locked")); // 0755, owned by the master's user
        p.start();
        for (int n = 0; n < 3; n++) {
            assertThat(RawHttp.get(port, "/a?site=one&n=" + n).status()).isEqualTo(204);
            assertThat(RawHttp.get(port, "/b?site=two&n=" + n).status()).isEqualTo(204);
        }
        assertThat(RawHttp.get(port, "/locked?site=x&n=0").status()).isEqualTo(204); // served even if not logged
        assertThat(p.run("-s", "quit").exitCode()).isZero();
        assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();

        assertThat(Files.readAllLines(vhosts.resolve("one.log"))).containsExactly("/a 0", "/a 1", "/a 2");
        assertThat(Files.readAllLines(vhosts.resolve("two.log"))).containsExactly("/b 0", "/b 1", "/b 2");
        if (ROOT) {
            // created by the worker running as nobody, not prepared by the master
            assertThat(Files.getOwner(vhosts.resolve("one.log")).getName()).isEqualTo("nobody");
            assertThat(logs.resolve("locked/x.log")).doesNotExist();
            assertThat(p.prefix().errorLogText()).contains("locked/x.log").contains("[alert]");
        }
    }
}
