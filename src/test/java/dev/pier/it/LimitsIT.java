package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * limit_conn and limit_req against the real server with two workers (reuseport): the zones are shared by the
 * workers' JVMs, so a limit holds for connections the kernel hands to different workers, and a reload that keeps a
 * zone keeps its state. Each connection learns its worker from {@code X-Pid}; keys come from {@code $arg_k}.
 * <pre>
 * /slow/N   limit_conn conn 1, proxied to a backend that answers after N ms
 * /r.txt    limit_req zone=sec (1r/s, no burst)
 * /d/r.txt  limit_req zone=sec burst=1: the second request in the second is delayed, not rejected
 * /m.txt    limit_req zone=min (1r/m)
 * </pre>
 */
class LimitsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static String conf(int port, int backend) {
        return """
                worker_processes 2;
                error_log logs/error.log info;
                events { worker_connections 1024; }
                http {
                    limit_conn_zone $arg_k zone=conn:1m;
                    limit_req_zone $arg_k zone=sec:1m rate=1r/s;
                    limit_req_zone $arg_k zone=min:64k rate=1r/m;
                    server {
                        listen 127.0.0.1:%d reuseport;
                        root html;
                        add_header X-Pid $pid always;
                        add_header X-Status "$limit_req_status/$limit_conn_status" always;
                        location /slow/ {
                            limit_conn conn 1;
                            proxy_pass http://127.0.0.1:%d/sleep/;
                        }
                        location = /r.txt { limit_req zone=sec; }
                        location /d/ { limit_req zone=sec burst=1; alias html/; }
                        location = /m.txt { limit_req zone=min; }
                    }
                }
                """.formatted(port, backend);
    }

    /** Two kept-alive connections the kernel gave to different workers. */
    private static RawHttp[] onTwoWorkers(int port) {
        List<RawHttp> spare = new ArrayList<>();
        try {
            RawHttp first = null;
            String firstPid = null;
            for (int i = 0; i < 200; i++) {
                RawHttp c = RawHttp.connect(port);
                String pid = c.send(RawHttp.request("GET", "/index.html")).read().header("X-Pid").orElseThrow();
                if (first == null) {
                    first = c;
                    firstPid = pid;
                } else if (!pid.equals(firstPid)) {
                    return new RawHttp[] {first, c};
                } else {
                    spare.add(c);
                }
            }
            throw new AssertionError("200 connections all landed on worker " + firstPid);
        } finally {
            spare.forEach(RawHttp::close);
        }
    }

    private static String pid(HttpResponse r) {
        return r.header("X-Pid").orElseThrow();
    }

    @Test
    void limitsHoldAcrossWorkersAndAReload() throws Exception {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(conf(port, backend.port()));
            Files.writeString(p.prefix().html().resolve("r.txt"), "r\n");
            Files.writeString(p.prefix().html().resolve("m.txt"), "m\n");
            p.start();
            p.awaitWorkers(2, Duration.ofSeconds(30));
            ProxyConfs.awaitProxying(port, "/slow/1?k=warm");
            RawHttp[] c = onTwoWorkers(port);
            try {
                assertThat(pid(c[0].send(RawHttp.request("GET", "/index.html")).read()))
                        .isNotEqualTo(pid(c[1].send(RawHttp.request("GET", "/index.html")).read()));

                // limit_conn 1: a slow request on one worker keeps the other worker's request out
                c[0].send(RawHttp.request("GET", "/slow/2000?k=one"));
                Await.sleep(500);
                HttpResponse limited = c[1].send(RawHttp.request("GET", "/slow/1?k=one")).read();
                assertThat(limited.status()).as(limited.toString()).isEqualTo(503);
                assertThat(limited.header("X-Status")).contains("/REJECTED");
                HttpResponse slow = c[0].read();
                assertThat(slow.status()).as(slow.toString()).isEqualTo(200);
                assertThat(slow.header("X-Status")).contains("/PASSED");
                // given back when it ended, on whichever worker asks next (the worker gives it back just after the
                // last byte went out, as nginx's request cleanup: the client may read the answer a moment sooner)
                Await.until(Duration.ofSeconds(5), "the connection slot given back",
                        () -> c[1].send(RawHttp.request("GET", "/slow/1?k=one")).read().status() == 200);

                // limit_req 1r/s without burst: the second request in the second, on the other worker, is refused
                assertThat(c[0].send(RawHttp.request("GET", "/r.txt?k=two")).read().status()).isEqualTo(200);
                HttpResponse refused = c[1].send(RawHttp.request("GET", "/r.txt?k=two")).read();
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.header("X-Status")).contains("REJECTED/");

                // burst=1: the other worker delays the second request instead (on its event loop) and serves it
                long t0 = System.nanoTime();
                assertThat(c[0].send(RawHttp.request("GET", "/d/r.txt?k=three")).read().status()).isEqualTo(200);
                HttpResponse delayed = c[1].send(RawHttp.request("GET", "/d/r.txt?k=three")).read();
                long sinceFirstMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(delayed.status()).as(delayed.toString()).isEqualTo(200);
                assertThat(delayed.header("X-Status")).contains("DELAYED/");
                // at 1r/s the bucket drains one request a second: the second cannot go out sooner after the first
                assertThat(sinceFirstMs).as("ms from the first request to the delayed second").isGreaterThan(900);
                // the worker kept serving others meanwhile: nothing sleeps
                assertThat(c[1].send(RawHttp.request("GET", "/index.html")).read().status()).isEqualTo(200);

                // 1r/m: the state survives a reload (same zone name and size), so new workers still refuse
                assertThat(c[0].send(RawHttp.request("GET", "/m.txt?k=four")).read().status()).isEqualTo(200);
            } finally {
                c[0].close();
                c[1].close();
            }
            List<Long> old = p.workerPids();
            p.signal("HUP");
            Await.until(Duration.ofSeconds(30), () -> "old workers " + old + " gone, have " + p.workerPids(),
                    () -> p.workerPids().stream().noneMatch(old::contains) && p.workers().size() == 2);
            HttpResponse kept = RawHttp.get(port, "/m.txt?k=four");
            assertThat(kept.status()).as(kept.toString()).isEqualTo(503);
            assertThat(RawHttp.get(port, "/m.txt?k=five").status()).isEqualTo(200);

            String log = Files.readString(p.prefix().logs().resolve("error.log"));
            assertThat(log).contains("[error]").contains("limiting connections by zone \"conn\"");
            assertThat(log).containsPattern("limiting requests, excess: [0-9.]+ by zone \"sec\"");
            assertThat(log).containsPattern("\\[warn\\] .*delaying request, excess: [0-9.]+, by zone \"sec\"");

            // the zones are files in /dev/shm named after the master; they go with it, as nginx's shared memory
            long master = p.masterPid();
            assertThat(zoneFilesOf(master)).as("zone files while running").isNotEmpty();
            p.signal("QUIT");
            assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(zoneFilesOf(master)).as("zone files after the master exited").isEmpty();
        }
    }

    private static List<Path> zoneFilesOf(long master) throws java.io.IOException {
        try (var files = Files.list(dev.pier.config.bind.LimitZone.fileDirectory())) {
            return files.filter(f -> dev.pier.config.bind.LimitZone.ownerOf(f.getFileName().toString()) == master)
                    .toList();
        }
    }

    @Test
    void concurrentSlowRequestsOnOneKeyLetOneThrough() throws Exception {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(conf(port, backend.port())).start();
            p.awaitWorkers(2, Duration.ofSeconds(30));
            ProxyConfs.awaitProxying(port, "/slow/1?k=warm");
            List<Integer> statuses;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
                List<CompletableFuture<Integer>> all = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    all.add(CompletableFuture.supplyAsync(() -> RawHttp.get(port, "/slow/1500?k=many").status(),
                            pool));
                }
                statuses = all.stream().map(CompletableFuture::join).toList();
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 503).hasSize(5);
        }
    }
}
