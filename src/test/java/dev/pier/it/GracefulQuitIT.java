package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shutdown as nginx does it: QUIT finishes requests in flight, closes idle keep-alive connections, then master and
 * workers exit and the pid file is removed (DESIGN rule 6); TERM and INT stop at once.
 */
class GracefulQuitIT {
    private static final int MIB = 1 << 20;
    private static final long SIZE = 64L * MIB;
    /** Client read pace: 64 MiB in about 4 s, so the download is surely in flight when QUIT arrives. */
    private static final double BYTES_PER_NANO = 16.0 * MIB / 1e9;
    private static final long QUIT_AFTER = 2L * MIB;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    record Download(long length, String sha256) {
    }

    @Test
    void quitCompletesSlowDownloadClosesIdleKeepAliveAndExits() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port));
        TestPrefix.StaticFile large = p.prefix().largeFile("large.bin", SIZE);
        p.start();
        List<ProcessHandle> workers = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        assertThat(p.prefix().pidFile()).exists();

        try (RawHttp idle = RawHttp.connect(port);
             RawHttp slow = RawHttp.connect(port, Duration.ofSeconds(10), 64 * 1024)) {
            HttpResponse hello = idle.send(RawHttp.request("GET", "/hello")).read();
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.connectionClose()).as("keep-alive by default in HTTP/1.1").isFalse();

            RawHttp.Streamed dl = slow.send(RawHttp.request("GET", "/large.bin")).readStreamed();
            assertThat(dl.head().status()).as(dl.head().toString()).isEqualTo(200);
            assertThat(dl.head().header("Content-Length")).contains(Long.toString(SIZE));
            CountDownLatch inFlight = new CountDownLatch(1);
            CompletableFuture<Download> download = CompletableFuture.supplyAsync(() -> readSlowly(dl.body(), inFlight));

            assertThat(inFlight.await(20, TimeUnit.SECONDS)).as("first %d bytes downloaded", QUIT_AFTER).isTrue();
            p.signal("QUIT");

            assertThat(idle.awaitClosed(Duration.ofSeconds(10))).as("idle keep-alive connection closed on QUIT")
                    .isTrue();
            Download got = download.get(30, TimeUnit.SECONDS);
            assertThat(got.length()).as("downloaded length").isEqualTo(SIZE);
            assertThat(got.sha256()).as("downloaded content").isEqualTo(large.sha256());
            assertThat(slow.awaitClosed(Duration.ofSeconds(10)))
                    .as("the connection, idle once its response completed, is closed by the quitting worker").isTrue();
        }

        assertThat(p.awaitExit(Duration.ofSeconds(20))).as("master exit code").isZero();
        Await.until(Duration.ofSeconds(5), "workers gone", () -> workers.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(p.prefix().pidFile()).as("pid file removed").doesNotExist();
        assertThat(PierInstance.accepts(port)).as("port closed").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void fastStopExitsWithinOneSecond(String signal) {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.twoWorkers(port)).start();
        List<ProcessHandle> workers = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);

        long sent = System.nanoTime();
        p.signal(signal);
        p.awaitExit(Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(took).as("signal to master exit").isLessThanOrEqualTo(Duration.ofSeconds(1));
        Await.until(Duration.ofSeconds(1), "workers gone after the master", () ->
                workers.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(p.prefix().pidFile()).as("pid file removed").doesNotExist();
    }

    /** Reads to the end at {@link #BYTES_PER_NANO} with small reads; counts down {@code inFlight} at QUIT_AFTER. */
    private static Download readSlowly(InputStream body, CountDownLatch inFlight) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            long start = System.nanoTime();
            for (int n; (n = body.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
                total += n;
                if (total >= QUIT_AFTER) {
                    inFlight.countDown();
                }
                long due = start + (long) (total / BYTES_PER_NANO);
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
            return new Download(total, HexFormat.of().formatHex(sha.digest()));
        } catch (Exception e) {
            throw new IllegalStateException("slow download failed", e);
        }
    }
}
