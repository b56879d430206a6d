package dev.pier.http.accesslog;

import dev.pier.config.ConfigException;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * access_log paths with variables: one file per rendered path, created by the worker; without open_log_file_cache
 * each line is written through a fresh open (a moved file is left at once), with it the descriptor stays open
 * until {@code valid} or {@code inactive} runs out (a moved file keeps getting lines meanwhile, as in nginx).
 */
class VariableLogPathTest {
    @TempDir
    Path dir;

    private HttpRuntime runtime(String cache) throws IOException, ConfigException {
        Files.createDirectories(dir.resolve("logs"));
        String conf = """
                http {
                  log_format u $uri;
                  %s
                  server {
                    server_name example.com;
                    access_log logs/$arg_site.log u;
                    location / { return 204; }
                  }
                }
                """.formatted(cache);
        return Fixtures.compile(conf, dir, Fixtures.QUIET);
    }

    private void request(HttpRuntime rt, String uri) {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, Wire.get(uri))).startsWith("HTTP/1.1 204");
        assertFalse(ch.finishAndReleaseAll());
    }

    private List<String> awaitLines(Path p, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(p) && Files.readAllLines(p).size() >= n) {
                return Files.readAllLines(p);
            }
            Thread.sleep(10);
        }
        throw new AssertionError(p + " did not get " + n + " lines");
    }

    @Test
    void onePerRenderedPathAndReopenedPerLineWithoutCache() throws Exception {
        HttpRuntime rt = runtime("");
        request(rt, "/one?site=a");
        request(rt, "/two?site=b");
        assertThat(awaitLines(dir.resolve("logs/a.log"), 1)).containsExactly("/one");
        assertThat(awaitLines(dir.resolve("logs/b.log"), 1)).containsExactly("/two");
        Files.move(dir.resolve("logs/a.log"), dir.resolve("logs/a.log.1"));
        request(rt, "/three?site=a");
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("logs/a.log"))).containsExactly("/three"); // opened by name
        assertThat(Files.readAllLines(dir.resolve("logs/a.log.1"))).containsExactly("/one");
    }

    @Test
    void cachedDescriptorKeepsWritingToTheOpenFile() throws Exception {
        HttpRuntime rt = runtime("open_log_file_cache max=8 inactive=1m valid=1m;");
        request(rt, "/one?site=a");
        awaitLines(dir.resolve("logs/a.log"), 1);
        Files.move(dir.resolve("logs/a.log"), dir.resolve("logs/a.log.1"));
        request(rt, "/two?site=a");
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("logs/a.log.1"))).containsExactly("/one", "/two");
        assertThat(dir.resolve("logs/a.log")).doesNotExist();
    }

    @Test
    void reopenClosesCachedDescriptors() throws Exception {
        HttpRuntime rt = runtime("open_log_file_cache max=8;");
        request(rt, "/one?site=a");
        awaitLines(dir.resolve("logs/a.log"), 1);
        Files.move(dir.resolve("logs/a.log"), dir.resolve("logs/a.log.1"));
        rt.accessLogs().reopen(); // USR1
        request(rt, "/two?site=a");
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("logs/a.log"))).containsExactly("/two");
    }

    @Test
    void unwritablePathIsReportedNotFatal() throws Exception {
        HttpRuntime rt = runtime("");
        request(rt, "/x?site=missing/dir"); // logs/missing/ does not exist: the line is lost, serving goes on
        request(rt, "/y?site=ok");
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("logs/ok.log"))).containsExactly("/y");
    }
}
