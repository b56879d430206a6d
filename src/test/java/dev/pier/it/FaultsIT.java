package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults around a serving worker (issue 7): the access log's file system fills up (a 64 KiB tmpfs, mounted for the
 * test and lazily unmounted after it; the ITs run as root), and a worker runs out of heap.
 */
class FaultsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void aFullDiskUnderTheAccessLogNeitherStopsServingNorFloodsTheErrorLog() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance();
        Path full = Files.createDirectories(p.prefix().dir().resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=1777", "tmpfs", full.toString());
        try {
            p.writeConf("""
                    worker_processes 1;
                    error_log logs/error.log notice;
                    events { }
                    http {
                        access_log %s;
                        server {
                            listen 127.0.0.1:%d;
                            location = /hello { return 200 "hello\\n"; }
                        }
                    }
                    """.formatted(full.resolve("access.log"), port)).start();
            RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
            Await.until(Duration.ofSeconds(10), "access log written", () -> size(full.resolve("access.log")) > 0);

            // fill the file system as root: every later write of the worker fails with ENOSPC
            try (OutputStream out = Files.newOutputStream(full.resolve("filler"))) {
                byte[] block = new byte[1024];
                for (int i = 0; i < 1024; i++) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException noSpace) {
                // full
            }
            long t0 = System.nanoTime();
            int served = 0;
            for (int i = 0; i < 300; i++) {
                try (RawHttp c = RawHttp.connect(port)) {
                    HttpResponse r = c.send(RawHttp.request("GET", "/hello?" + "x".repeat(200) + i,
                            "Connection: close")).read();
                    assertThat(r.status()).isEqualTo(200);
                    served++;
                }
                if (i % 50 == 0) {
                    Await.sleep(200); // let the log writer fail several times, in several drains
                }
            }
            Await.sleep(1000);
            long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
            List<String> failures = p.prefix().errorLogText().lines()
                    .filter(l -> l.contains("write() to") && l.contains("access.log")).toList();
            System.out.println("[figures] full disk: " + served + " requests served in " + seconds
                    + " s, access log write failures reported " + failures.size() + " time(s): " + failures);
            assertThat(served).isEqualTo(300);
            assertThat(failures).as("one report per minute at most, not one per request").hasSize(1);
            assertThat(failures.getFirst()).contains("[alert]").contains("No space left on device");
        } finally {
            run("umount", "-l", full.toString()); // lazy: the worker may still hold the file open
        }
    }

    /**
     * A worker with a 24 MiB heap asked for the autoindex of a directory of 100,000 long names (the listing streams,
     * but keeps its entries for nginx's sort: about 30 MiB here): it dies of {@code -XX:+ExitOnOutOfMemoryError}, the
     * master replaces it in its slot, and the other worker keeps serving throughout.
     */
    @Test
    void aWorkerOutOfHeapDiesAndIsReplacedWhileTheOtherKeepsServing() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().env("PIER_WORKER_OPTS", "-Xmx24m");
        Path many = Files.createDirectories(p.prefix().html().resolve("many"));
        String pad = "n".repeat(240);
        for (int i = 0; i < 100_000; i++) {
            Files.createFile(many.resolve(pad + i));
        }
        p.writeConf("""
                worker_processes 2;
                error_log logs/error.log notice;
                events { }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:%d reuseport;
                        root html;
                        location /many/ { autoindex on; }
                        location = /hello { return 200 "hello $pid\n"; }
                    }
                }
                """.formatted(port)).start();
        List<Long> before = p.awaitWorkers(2, Duration.ofSeconds(30)).stream().map(ProcessHandle::pid).toList();
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        long t0 = System.nanoTime();
        int hostile = 0;
        int served = 0;
        int failed = 0;
        List<Thread> listings = new ArrayList<>();
        while (p.workerPids().containsAll(before) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
            hostile++;
            listings.add(Thread.ofVirtual().start(() -> {
                try (RawHttp c = RawHttp.connect(port)) {
                    c.send(RawHttp.request("GET", "/many/", "Connection: close")).read();
                } catch (RuntimeException dropped) {
                    // the worker died under it: expected
                }
            }));
            for (int i = 0; i < 5; i++) {
                try {
                    served += RawHttp.get(port, "/hello").status() == 200 ? 1 : 0;
                } catch (RuntimeException e) {
                    failed++; // accepted by the dying worker
                }
            }
            Await.sleep(100);
        }
        // listings still in flight go on eating heap, and may kill a worker (the survivor, or a replacement) later:
        // the phase after this one is about serving once that is over, so it waits for every one to end
        long joinUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : listings) {
            t.join(Duration.ofNanos(Math.max(1, joinUntil - System.nanoTime())));
        }
        List<Long> after = p.workerPids();
        List<Long> dead = before.stream().filter(pid -> !after.contains(pid)).toList();
        assertThat(dead).as("a worker died of OOM within 30 s of %d listing requests", hostile).isNotEmpty();
        long survivor = before.stream().filter(after::contains).findFirst().orElse(-1L);
        Await.until(Duration.ofSeconds(20), () -> "a replacement worker, have " + p.workerPids(),
                () -> p.workerPids().size() == 2 && !before.containsAll(p.workerPids()));
        int servedAfter = 0;
        for (int i = 0; i < 50; i++) {
            servedAfter += RawHttp.get(port, "/hello").status() == 200 ? 1 : 0;
        }
        System.out.println("[figures] worker OOM: " + hostile + " listing requests, " + served + " /hello served and "
                + failed + " failed meanwhile, workers " + before + " -> " + p.workerPids() + ", survivor "
                + survivor);
        assertThat(servedAfter).isEqualTo(50);
        assertThat(p.prefix().errorLogText()).contains("exited unexpectedly with code 3"); // ExitOnOutOfMemoryError
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
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
