package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_buffering on} with a client slower than its backend: once the memory buffers are full the rest of the
 * response goes to a temp file under {@code proxy_temp_path}, so the backend's write completes while the client has
 * read almost nothing; the file (unlinked, so seen only as an open descriptor of the worker) is gone once the
 * response is over. With {@code proxy_max_temp_file_size 0} nothing is spooled and the backend is held back.
 */
class ProxySpoolIT {
    private static final long SIZE = 32L * 1024 * 1024;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private record Setup(PierInstance pier, int port, CountDownLatch written) {
    }

    private Setup start(ScriptedBackend b, CountDownLatch written, String extra) {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                        proxy_http_version 1.1;
                        %s
                    }
                    location /ready { return 200 "ready"; }
                """.formatted(b.port(), extra))).start();
        ProxyConfs.awaitProxying(port, "/ready");
        return new Setup(p, port, written);
    }

    private static ScriptedBackend bigBackend(CountDownLatch written) {
        return new ScriptedBackend((line, headers, in, out) -> {
            ScriptedBackend.head(out, "200 OK", "Content-Length: " + SIZE);
            ScriptedBackend.pattern(out, SIZE);
            written.countDown(); // every byte is in the proxy's hands (or its socket buffer)
            return true;
        });
    }

    /** The worker's open descriptors that point into {@code dir} (an unlinked file reads "... (deleted)"). */
    private static List<String> tempFds(PierInstance p, Path dir) {
        long pid = p.workers().getFirst().pid();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(f -> {
                try {
                    return Files.readSymbolicLink(f).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(t -> t.startsWith(dir.toString())).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSlowClientMakesTheRestSpoolAndFreesTheBackendEarly() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        try (ScriptedBackend b = bigBackend(written)) {
            Setup s = start(b, written, "proxy_temp_path proxy_temp 1 2;");
            Path temp = s.pier().prefix().dir().resolve("proxy_temp");
            try (RawHttp c = RawHttp.connect(s.port(), Duration.ofSeconds(60), 16 * 1024)) {
                c.send(RawHttp.request("GET", "/big"));
                // the client reads nothing yet: only a temp file can take 32 MiB
                assertThat(written.await(30, TimeUnit.SECONDS)).as("backend finished writing while the client "
                        + "read nothing").isTrue();
                Await.until(Duration.ofSeconds(10), "a temp file under " + temp, () -> !tempFds(s.pier(), temp)
                        .isEmpty());
                // nginx's name: ten digits under level directories made of its last digits (1 2: "7/45/...457")
                assertThat(tempFds(s.pier(), temp)).allSatisfy(t -> assertThat(t.substring(temp.toString().length()))
                        .matches("/(\\d)/(\\d\\d)/\\d{7}\\2\\1 \\(deleted\\)"));
                RawHttp.Streamed r = c.readStreamed();
                assertThat(r.head().status()).isEqualTo(200);
                assertThat(sha(r.body(), SIZE)).isEqualTo(patternSha(SIZE));
            }
            Await.until(Duration.ofSeconds(10), "the temp file closed", () -> tempFds(s.pier(), temp).isEmpty());
            assertThat(s.pier().prefix().errorLogText()).doesNotContain("[crit]").doesNotContain("[alert]");
        }
    }

    @Test
    void aClientThatPausesThenReadsFastGetsTheSpooledRest() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        try (ScriptedBackend b = bigBackend(written)) {
            Setup s = start(b, written, "");
            try (RawHttp c = RawHttp.connect(s.port(), Duration.ofSeconds(20), 0)) {
                c.send(RawHttp.request("GET", "/big"));
                assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
                // a big receive window: writes from the temp file complete as soon as they are flushed, and each
                // completion must lead to the next piece
                RawHttp.Streamed r = c.readStreamed();
                assertThat(sha(r.body(), SIZE)).isEqualTo(patternSha(SIZE));
            }
        }
    }

    @Test
    void withoutTempFilesTheBackendIsHeldBack() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        try (ScriptedBackend b = bigBackend(written)) {
            Setup s = start(b, written, "proxy_max_temp_file_size 0;");
            Path temp = s.pier().prefix().dir().resolve("proxy_temp");
            try (RawHttp c = RawHttp.connect(s.port(), Duration.ofSeconds(60), 16 * 1024)) {
                c.send(RawHttp.request("GET", "/big"));
                assertThat(written.await(3, TimeUnit.SECONDS)).as("backend held back by the slow client").isFalse();
                assertThat(tempFds(s.pier(), temp)).isEmpty();
                RawHttp.Streamed r = c.readStreamed();
                assertThat(r.head().status()).isEqualTo(200);
                assertThat(sha(r.body(), SIZE)).isEqualTo(patternSha(SIZE));
            }
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    static String patternSha(long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        for (long off = 0; off < size; off += buf.length) {
            int n = (int) Math.min(buf.length, size - off);
            for (int i = 0; i < n; i++) {
                buf[i] = ProxyBackend.pattern(off + i);
            }
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha(InputStream in, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        long total = 0;
        while (total < size) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, size - total));
            if (r < 0) {
                break;
            }
            md.update(buf, 0, r);
            total += r;
        }
        assertThat(total).isEqualTo(size);
        return HexFormat.of().formatHex(md.digest());
    }
}
