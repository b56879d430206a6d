package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream {@code keepalive} cache through the real {@code bin/pier}: with it (and HTTP/1.1 without
 * {@code Connection: close} upstream, nginx's recipe) many requests share few backend connections; without it each
 * request opens its own. A graceful exit closes the idle ones at once and keeps none after, as nginx does.
 */
class ProxyKeepaliveIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void backendSeesFewConnectionsOverManyRequests() throws Exception {
        try (ProxyBackend pooled = new ProxyBackend("pooled"); ProxyBackend plain = new ProxyBackend("plain")) {
            int port = Ports.free();
            pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                        upstream pooled {
                            server 127.0.0.1:%d;
                            keepalive 8;
                        }
                    """.formatted(pooled.port()), """
                        location /pooled/ {
                            proxy_pass http://pooled;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                        location /plain/ { proxy_pass http://127.0.0.1:%d; }
                    """.formatted(plain.port()))).start();

            for (int i = 0; i < 100; i++) {
                assertThat(RawHttp.get(port, "/pooled/" + i).status()).isEqualTo(200);
                assertThat(RawHttp.get(port, "/plain/" + i).status()).isEqualTo(200);
            }
            assertThat(pooled.requests()).isEqualTo(100);
            assertThat(pooled.connections()).as("sequential requests reuse one connection").isLessThanOrEqualTo(2);
            assertThat(plain.connections()).as("no keepalive: one connection per request").isEqualTo(100);

            // four clients at once, each on its own keep-alive connection to Pier
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    try (RawHttp conn = RawHttp.connect(port)) {
                        for (int i = 0; i < 50; i++) {
                            HttpResponse r = conn.send(RawHttp.request("GET", "/pooled/k" + i)).read();
                            assertThat(r.status()).isEqualTo(200);
                        }
                    }
                }));
            }
            for (CompletableFuture<Void> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(pooled.requests()).isEqualTo(300);
            assertThat(pooled.connections()).as("at most one per concurrent client, cached and reused")
                    .isLessThanOrEqualTo(6);
        }
    }

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(booleans = {true, false})
    void quitClosesIdleUpstreamConnectionsWhileARequestStillRuns(boolean masterProcess) throws Exception {
        try (ProxyBackend backend = new ProxyBackend("pooled")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf((masterProcess ? "" : "master_process off;\n")
                    + ProxyConfs.conf(1, port, """
                        upstream pooled {
                            server 127.0.0.1:%d;
                            keepalive 8;
                        }
                    """.formatted(backend.port()), """
                        location / {
                            proxy_pass http://pooled;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    """)).start();
            ProxyConfs.awaitProxying(port, "/warm");

            try (RawHttp slow = RawHttp.connect(port, Duration.ofSeconds(20), 64 * 1024)) {
                // one backend connection busy with a slow request, another idle in the cache
                slow.send(RawHttp.request("GET", "/sleep/5000"));
                Await.until(Duration.ofSeconds(10), "the slow request at the backend", () -> backend.inFlight() == 1);
                assertThat(RawHttp.get(port, "/fast").status()).isEqualTo(200);
                Await.until(Duration.ofSeconds(5), "two backend connections", () -> backend.openConnections() == 2);

                p.signal("QUIT");
                Await.until(Duration.ofSeconds(3), "the idle backend connection closed on QUIT",
                        () -> backend.openConnections() == 1);
                assertThat(backend.inFlight()).as("while the slow request still runs").isEqualTo(1);

                HttpResponse r = slow.read();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.connectionClose()).as("the exiting worker closes the client connection").isTrue();
                Await.until(Duration.ofSeconds(5), "the last backend connection closed, not cached",
                        () -> backend.openConnections() == 0);
            }
            assertThat(p.awaitExit(Duration.ofSeconds(20))).as("exit code").isZero();
        }
    }
}
