package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Oversized requests against one real worker (issue 7): a huge chunked body, overlapping ranges and a header-count
 * bomb. Each is answered or cut off as nginx does, and the worker stays alive and serves on. Connection floods:
 * {@link ExhaustionIT}.
 */
class RequestBombsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void aHugeChunkedBodyGets413AndTheConnectionCloses() throws Exception {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(Confs.exhaustion(port, 1024,
                    "location /app/ { proxy_pass http://127.0.0.1:" + backend.port() + "/; }")).start();
            RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
            long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            try (RawHttp conn = RawHttp.connect(port)) {
                conn.send("POST /app/sha HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
                byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = conn.socket().getOutputStream();
                        for (int i = 0; i < 256 && !stop.get(); i++) { // up to 16 MiB
                            out.write(chunk);
                            sent.addAndGet(0x10000);
                        }
                        out.flush();
                    } catch (IOException closed) {
                        // expected once the server gave up on the body
                    }
                });
                HttpResponse r = conn.read();
                stop.set(true);
                assertThat(r.status()).as(r.toString()).isEqualTo(413);
                assertThat(r.connectionClose()).isTrue();
                assertThat(conn.awaitClosed(Duration.ofSeconds(10))).isTrue();
                writer.join(Duration.ofSeconds(10));
            }
            assertThat(sent.get()).as("bytes the client got to send").isLessThan(16L << 20);
            assertThat(p.prefix().errorLogText()).contains("client intended to send too large chunked body");
            assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
            assertThat(p.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void manyOverlappingRangesGetTheWholeFileAsNginxDoes() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.exhaustion(port, 1024, "")).start();
        String content = "0123456789".repeat(100);
        p.prefix().writeHtml("r.txt", content);
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();

        // 200 overlapping ranges adding up to far more than the file: nginx's range parser declines and sends it all
        StringBuilder overlapping = new StringBuilder("bytes=");
        for (int i = 0; i < 200; i++) {
            overlapping.append(i == 0 ? "" : ",").append(i).append('-').append(i + 499);
        }
        try (RawHttp conn = RawHttp.connect(port)) {
            HttpResponse r = conn.send(RawHttp.request("GET", "/r.txt", "Range: " + overlapping)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(content);
            assertThat(r.header("Content-Range")).isEmpty();
        }
        // 200 small disjoint ranges within the size are served as nginx does (no max_ranges by default): 206 multipart
        StringBuilder small = new StringBuilder("bytes=");
        for (int i = 0; i < 200; i++) {
            small.append(i == 0 ? "" : ",").append(i * 5).append('-').append(i * 5 + 1);
        }
        try (RawHttp conn = RawHttp.connect(port)) {
            HttpResponse r = conn.send(RawHttp.request("GET", "/r.txt", "Range: " + small)).read();
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.header("Content-Type").orElseThrow()).startsWith("multipart/byteranges");
            assertThat(r.bodyText().split("Content-Range: bytes ", -1)).hasSize(201);
        }
        // ranges beyond the file only: 416
        try (RawHttp conn = RawHttp.connect(port)) {
            HttpResponse r = conn.send(RawHttp.request("GET", "/r.txt", "Range: bytes=5000-6000,7000-8000")).read();
            assertThat(r.status()).isEqualTo(416);
            assertThat(r.header("Content-Range")).contains("bytes */1000");
        }
        assertThat(p.workerPids()).containsExactly(worker);
    }

    @Test
    void aHeaderCountBombIsRefusedAndTheWorkerLives() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.exhaustion(port, 1024, "")).start();
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();

        // 10,000 small headers (80 KB) pass large_client_header_buffers 4 8k: 400, close
        try (RawHttp conn = RawHttp.connect(port)) {
            String bomb = "GET /hello HTTP/1.1\r\nHost: a\r\n" + "X-H: v\r\n".repeat(10_000) + "\r\n";
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    conn.socket().getOutputStream().write(bomb.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // refused before the end: fine
                }
            });
            HttpResponse r = conn.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.connectionClose()).isTrue();
            assertThat(conn.awaitClosed(Duration.ofSeconds(10))).isTrue();
            writer.join(Duration.ofSeconds(10));
        }
        // 4,000 tiny headers (24 KB) stay within the limits: nginx has no count limit, the request is served
        try (RawHttp conn = RawHttp.connect(port)) {
            HttpResponse r = conn.send("GET /hello HTTP/1.1\r\nHost: a\r\n" + "a:b\r\n".repeat(4_000) + "\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
        assertThat(p.workerPids()).containsExactly(worker);
    }
}
