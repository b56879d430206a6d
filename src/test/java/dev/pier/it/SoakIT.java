package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A soak of mixed valid and invalid traffic against two workers for {@code -Dsoak.seconds} (120 by default, the
 * 2 minutes in CI issue 7 asks for; 1800 for its 30 minutes on demand): every valid request succeeds, and each
 * worker's RSS ({@code VmRSS}) and open descriptors ({@code /proc/PID/fd}), sampled every 5 s, end at most 1.5 times
 * their value after warm-up.
 */
class SoakIT {
    private static final int SAMPLE_SECONDS = 5;
    private static final List<String> INVALID = List.of(
            "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
            "GET /he\0llo HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\r\n" + "X-H: v\r\n".repeat(5000) + "\r\n",
            "GET /f.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=x-y\r\n\r\n",
            "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\nabc",
            "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GARBAGE\r\n\r\n");

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void mixedTrafficKeepsMemoryAndDescriptorsFlat() throws Exception {
        int seconds = Integer.getInteger("soak.seconds", 120);
        int port = Ports.free();
        // a fixed, pre-touched 64 MiB heap: with the default heap the serial collector grows the heap (and RSS) for
        // minutes before a full collection, which looks like a leak; pre-touched, RSS includes the whole heap from the
        // start, so growth is what lives outside it (direct buffers, metaspace, threads), and a heap leak ends in
        // OutOfMemoryError (a worker dies) instead
        PierInstance p = pier.newInstance().env("PIER_WORKER_OPTS", "-Xms64m -Xmx64m -XX:+AlwaysPreTouch").writeConf("""
                worker_processes 2;
                error_log logs/error.log notice;
                events { worker_connections 1024; }
                http {
                    access_log logs/access.log combined buffer=64k flush=1s;
                    client_header_timeout 2s;
                    server {
                        listen 127.0.0.1:%d reuseport;
                        root html;
                        location / { }
                        location = /hello { return 200 "hello\\n"; }
                    }
                }
                """.formatted(port));
        String content = "0123456789".repeat(1000);
        p.prefix().writeHtml("f.txt", content);
        p.start();
        List<Long> workers = p.awaitWorkers(2, Duration.ofSeconds(30)).stream().map(ProcessHandle::pid).toList();
        Await.until(Duration.ofSeconds(30), "served", () -> {
            try {
                return RawHttp.get(port, "/hello").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong valid = new AtomicLong();
        AtomicLong invalid = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int client = i;
            clients.add(Thread.ofPlatform().daemon().start(() -> validLoop(port, client, content, stop, valid,
                    failures)));
        }
        clients.add(Thread.ofPlatform().daemon().start(() -> invalidLoop(port, stop, invalid)));

        Map<Long, List<long[]>> samples = new TreeMap<>(); // pid -> [second, rss KiB, fds]
        workers.forEach(w -> samples.put(w, new ArrayList<>()));
        long t0 = System.nanoTime();
        for (int s = SAMPLE_SECONDS; s <= seconds; s += SAMPLE_SECONDS) {
            Await.sleep(Math.max(0, t0 / 1_000_000 + s * 1000L - System.nanoTime() / 1_000_000));
            for (long w : workers) {
                samples.get(w).add(new long[] {s, ProcStatus.rssKib(w), ProcStatus.openFds(w)});
            }
        }
        stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(15));
        }
        Await.sleep(1000);
        for (long w : workers) { // descriptors once the clients are gone
            samples.get(w).add(new long[] {-1, ProcStatus.rssKib(w), ProcStatus.openFds(w)});
        }

        StringBuilder fig = new StringBuilder("[figures] soak " + seconds + " s: " + valid.get() + " valid, "
                + invalid.get() + " invalid requests, " + failures.size() + " failures");
        samples.forEach((w, list) -> {
            fig.append("\n  worker ").append(w).append(" (second: RSS KiB/fds):");
            list.forEach(x -> fig.append(' ').append(x[0] < 0 ? "end" : x[0]).append(": ").append(x[1]).append('/')
                    .append(x[2]));
        });
        System.out.println(fig);

        assertThat(failures).as("valid requests that failed").isEmpty();
        assertThat(valid.get()).isGreaterThan(100L * seconds / SAMPLE_SECONDS);
        assertThat(p.workerPids()).as("no worker died").containsExactlyElementsOf(workers.stream().sorted().toList());
        int warm = Math.min(2, samples.get(workers.getFirst()).size() - 2); // the sample at 15 s, or earlier
        for (long w : workers) {
            List<long[]> list = samples.get(w);
            long[] warmed = list.get(warm);
            long[] lastUnderLoad = list.get(list.size() - 2);
            long[] end = list.getLast();
            assertThat(lastUnderLoad[1]).as("worker %d RSS at the end vs after warm-up", w)
                    .isLessThanOrEqualTo(warmed[1] * 3 / 2);
            assertThat(end[2]).as("worker %d open fds at the end vs after warm-up", w)
                    .isLessThanOrEqualTo(warmed[2] * 3 / 2);
        }
    }

    private static void validLoop(int port, int client, String content, AtomicBoolean stop, AtomicLong valid,
                                  ConcurrentLinkedQueue<String> failures) {
        RawHttp conn = null;
        long n = 0;
        while (!stop.get()) {
            try {
                if (conn == null) {
                    conn = RawHttp.connect(port);
                }
                String target;
                HttpResponse r;
                switch ((int) (n++ % 4)) {
                    case 0 -> {
                        r = conn.send(RawHttp.request("GET", target = "/hello")).read();
                        check(r.status() == 200 && r.bodyText().equals("hello\n"), target, r);
                    }
                    case 1 -> {
                        r = conn.send(RawHttp.request("GET", target = "/f.txt")).read();
                        check(r.status() == 200 && r.bodyText().equals(content), target, r);
                    }
                    case 2 -> {
                        r = conn.send(RawHttp.request("GET", target = "/f.txt", "Range: bytes=10-19,-5")).read();
                        check(r.status() == 206 && r.bodyText().contains("0123456789"), target, r);
                    }
                    default -> {
                        r = conn.send(RawHttp.request("POST", target = "/hello?c=" + client,
                                "Content-Length: 3")).send("abc").read();
                        check(r.status() == 200, target, r);
                    }
                }
                valid.incrementAndGet();
                if (r.connectionClose()) { // keepalive_requests reached: reconnect, as a client would
                    conn.close();
                    conn = null;
                }
            } catch (RuntimeException | AssertionError e) {
                failures.add(e.toString());
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
            }
        }
        if (conn != null) {
            conn.close();
        }
    }

    private static void check(boolean ok, String target, HttpResponse r) {
        if (!ok) {
            throw new AssertionError(target + " -> " + r.status() + " " + r.bodyText().length() + " bytes");
        }
    }

    /** Malformed requests, abandoned half-requests and idle connections that the server must clean up. */
    private static void invalidLoop(int port, AtomicBoolean stop, AtomicLong invalid) {
        int n = 0;
        while (!stop.get()) {
            try (RawHttp c = RawHttp.connect(port)) {
                switch (n++ % 3) {
                    case 0 -> c.send(INVALID.get(n % INVALID.size())).read();
                    case 1 -> c.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Half: "); // abandoned mid-head
                    default -> {
                        // an idle connection left for the header timeout
                    }
                }
                invalid.incrementAndGet();
            } catch (RuntimeException e) {
                // a refused request may end with a reset: not a failure
            }
        }
    }
}
