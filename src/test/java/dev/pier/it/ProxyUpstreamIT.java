package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code upstream} blocks through the real {@code bin/pier} with one worker (peer state is per worker, as in nginx
 * without a shared zone): weighted round-robin, least_conn, consistent hashing, passive health checks.
 */
class ProxyUpstreamIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();
    private PierInstance instance;

    private static String servers(String params, ProxyBackend... bs) {
        StringBuilder sb = new StringBuilder();
        for (ProxyBackend b : bs) {
            sb.append("        server 127.0.0.1:").append(b.port()).append(params.isEmpty() ? "" : " " + params)
                    .append(b.name().equals("w3") ? " weight=3" : b.name().equals("w2") ? " weight=2" : "")
                    .append(";\n");
        }
        return sb.toString();
    }

    private int start(String upstreamBody) {
        int port = Ports.free();
        instance = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "    upstream u {\n" + upstreamBody
                + "    }\n", "        location / { proxy_pass http://u; }\n")).start();
        ProxyConfs.awaitProxying(port, "/status/200");
        return port;
    }

    private static Map<String, Integer> count(int port, int n, String target) {
        Map<String, Integer> by = new HashMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse r = RawHttp.get(port, target);
            assertThat(r.status()).isEqualTo(200);
            by.merge(r.header("X-Backend").orElseThrow(), 1, Integer::sum);
        }
        return by;
    }

    @Test
    void weightedRoundRobinFollowsTheWeights() {
        try (ProxyBackend a = new ProxyBackend("w3"); ProxyBackend b = new ProxyBackend("w2");
             ProxyBackend c = new ProxyBackend("w1")) {
            int port = start(servers("", a, b, c));
            // smooth WRR is exact over whole cycles of sum(weights) = 6 requests
            assertThat(count(port, 60, "/")).isEqualTo(Map.of("w3", 30, "w2", 20, "w1", 10));
        }
    }

    @Test
    void leastConnAvoidsTheBusyBackend() throws Exception {
        try (ProxyBackend a = new ProxyBackend("a"); ProxyBackend b = new ProxyBackend("b")) {
            int port = start("        least_conn;\n" + servers("", a, b));
            CompletableFuture<HttpResponse> slow = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(port, "/sleep/3000"));
            Await.until(Duration.ofSeconds(15), "the slow request reached a backend",
                    () -> a.inFlight() + b.inFlight() == 1);
            String idle = a.inFlight() == 1 ? "b" : "a";
            // round-robin would alternate; least_conn sends every request to the backend without one in flight
            assertThat(count(port, 8, "/")).isEqualTo(Map.of(idle, 8));
            assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    @Test
    void consistentHashKeepsEachKeyOnOneBackend() {
        try (ProxyBackend a = new ProxyBackend("a"); ProxyBackend b = new ProxyBackend("b");
             ProxyBackend c = new ProxyBackend("c")) {
            int port = start("        hash $request_uri consistent;\n" + servers("", a, b, c));
            Map<String, String> first = new HashMap<>();
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 30; k++) {
                    String target = "/k/" + k;
                    String got = RawHttp.get(port, target).header("X-Backend").orElseThrow();
                    assertThat(first.putIfAbsent(target, got) == null || first.get(target).equals(got))
                            .as("%s went to %s, before to %s", target, got, first.get(target)).isTrue();
                }
            }
            Set<String> used = new HashSet<>(first.values());
            assertThat(used).as("30 keys spread over the ring").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aStoppedBackendIsSkippedAfterMaxFailsAndTriedAgainAfterFailTimeout() {
        ProxyBackend a = new ProxyBackend("a");
        try (ProxyBackend b = new ProxyBackend("b")) {
            int aPort = a.port();
            int port = start(servers("max_fails=1 fail_timeout=3s", a, b));
            assertThat(count(port, 4, "/")).isEqualTo(Map.of("a", 2, "b", 2));
            a.close();
            long t0 = System.nanoTime();
            // the first request to reach a fails over to b; a is then down for fail_timeout
            assertThat(count(port, 10, "/")).isEqualTo(Map.of("b", 10));
            assertThat(System.nanoTime() - t0).as("test ran within fail_timeout")
                    .isLessThan(Duration.ofSeconds(3).toNanos());
            String log = errorLog();
            assertThat(log.lines().filter(l -> l.contains("connect() failed (111: Connection refused) while "
                    + "connecting to upstream") && l.contains("upstream: \"http://127.0.0.1:" + aPort + "/\""))
                    .count()).as(log).isEqualTo(1);
            assertThat(log).contains("[warn]").contains("upstream server temporarily disabled while connecting to "
                    + "upstream");
            // back on its port, a gets traffic again once fail_timeout has passed
            try (ProxyBackend again = new ProxyBackend("a", aPort)) {
                Await.sleep(3500);
                Map<String, Integer> after = count(port, 10, "/");
                assertThat(after.getOrDefault("a", 0)).as("%s", after).isGreaterThanOrEqualTo(4);
                assertThat(again.requests()).isGreaterThanOrEqualTo(4);
            }
        }
    }

    private String errorLog() {
        return instance.prefix().errorLogText();
    }
}
