package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Log rotation the nginx way: {@code mv access.log access.log.1}, then USR1. Workers keep writing to the moved file
 * until they reopen, so no line is lost: the two files together hold exactly one line per request, each a whole
 * {@code combined} line. Then a graceful QUIT must not lose buffered lines either.
 */
class LogRotationIT {
    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 2_500;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void mvPlusUsr1LosesNoLine() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.bufferedAccessLog(port, "16k",
                "error_log logs/error.log info;")).start();
        ReuseportIT.awaitWorkersHoldingSockets(p, port);
        Path log = p.prefix().logs().resolve("access.log");
        Path rotated = p.prefix().logs().resolve("access.log.1");

        AtomicInteger ok = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(CLIENTS);
        CountDownLatch rotatedNow = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                RawHttp conn = RawHttp.connect(port);
                try {
                    for (int i = 0; i < PER_CLIENT; i++) {
                        if (i == PER_CLIENT / 2) {
                            halfway.countDown();
                            await(rotatedNow);
                        }
                        if (i % 100 == 0) { // some fresh connections too
                            conn.close();
                            conn = RawHttp.connect(port);
                        }
                        HttpResponse r = conn.send(RawHttp.request("GET", "/hello?i=" + i)).read();
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                        }
                    }
                } finally {
                    conn.close();
                }
            });
            t.start();
            clients.add(t);
        }
        halfway.await();
        Files.move(log, rotated);
        assertThat(p.run("-s", "reopen").exitCode()).isZero();
        rotatedNow.countDown();
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(60).toMillis());
        }
        assertThat(ok.get()).isEqualTo(CLIENTS * PER_CLIENT);

        p.signal("QUIT");
        assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();

        List<String> before = Files.readAllLines(rotated);
        List<String> after = Files.readAllLines(log);
        assertThat(before.size() + after.size()).as("lines in access.log.1 + access.log")
                .isEqualTo(CLIENTS * PER_CLIENT);
        assertThat(after).as("the reopened file got the second half").isNotEmpty();
        for (List<String> lines : List.of(before, after)) {
            assertThat(lines).allMatch(l -> l.matches(
                    "127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /hello\\?i=\\d+ HTTP/1\\.1\" 200 6 \"-\" \"-\""), "combined");
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
