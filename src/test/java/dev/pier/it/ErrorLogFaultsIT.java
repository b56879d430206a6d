package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error log's file system fills up (a 64 KiB tmpfs mounted for the test, as {@link FaultsIT} does for the
 * access log; the ITs run as root): every request keeps being answered, the failure is reported once on the
 * master's stderr (which workers share), not once per line, and once there is room again the log itself says how
 * many lines it lost.
 */
class ErrorLogFaultsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void aFullDiskUnderTheErrorLogNeitherStopsServingNorFloodsStderr() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance();
        Path full = Files.createDirectories(p.prefix().dir().resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=1777", "tmpfs", full.toString());
        Path log = full.resolve("error.log");
        try {
            p.writeConf("""
                    worker_processes 1;
                    error_log %s info;
                    events { }
                    http {
                        access_log off;
                        server {
                            listen 127.0.0.1:%d;
                            root html;
                        }
                    }
                    """.formatted(log, port)).start();
            RawHttp.awaitOk(port, "/index.html", Duration.ofSeconds(30), "served");
            // each request for a missing file writes an [error] open() ... failed line
            assertThat(RawHttp.get(port, "/missing-before").status()).isEqualTo(404);
            Await.until(Duration.ofSeconds(10), "error log written", () -> read(log).contains("missing-before"));

            Path filler = full.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[1024];
                for (int i = 0; i < 1024; i++) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException noSpace) {
                // full
            }
            int served = 0;
            for (int i = 0; i < 300; i++) {
                try (RawHttp c = RawHttp.connect(port)) {
                    HttpResponse r = c.send(RawHttp.request("GET", "/missing-" + "x".repeat(200) + i,
                            "Connection: close")).read();
                    assertThat(r.status()).isEqualTo(404);
                    served++;
                }
                if (i % 50 == 0) {
                    Await.sleep(300); // past nginx's one-second skip now and then: writes fail again
                }
            }
            assertThat(served).isEqualTo(300);
            List<String> reports = p.masterStderr().lines()
                    .filter(l -> l.contains("write() to \"" + log + "\" failed")).toList();
            assertThat(reports).as("one report per minute at most, not one per line: %s", p.masterStderr())
                    .hasSize(1);
            assertThat(reports.getFirst()).contains("[alert]").contains("No space left on device");

            // room again: the next line goes in, after an alert saying how much is missing
            Files.delete(filler);
            Await.sleep(1100);
            assertThat(RawHttp.get(port, "/missing-after").status()).isEqualTo(404);
            Await.until(Duration.ofSeconds(10), "error log written again", () -> read(log).contains("missing-after"));
            assertThat(read(log)).containsPattern("\\[alert\\] .*write\\(\\) to \".*error.log\" failed \\(No space "
                    + "left on device\\), [1-9][0-9]* error log line\\(s\\) lost");
            assertThat(p.workers()).hasSize(1);
        } finally {
            run("umount", "-l", full.toString()); // lazy: the worker may still hold the file open
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + new String(pr.getInputStream()
                    .readAllBytes()));
        }
    }
}
