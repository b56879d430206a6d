package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resource exhaustion against one real worker (issue 7): more idle connections than {@code worker_connections}, a
 * pipelining flood from a client that does not read, a huge chunked body, overlapping ranges and a header-count bomb.
 * Each is answered or cut off as nginx does, the worker stays alive and bounded, and other clients are served.
 */
class ExhaustionIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static String conf(int port, int workerConnections, String extra) {
        return """
                worker_processes 1;
                error_log logs/error.log notice;

                events {
                    worker_connections %d;
                }

                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        client_max_body_size 1m;
                        keepalive_requests 20000;
                        lingering_timeout 1s;

                        location / {
                        }

                        location /p/ {
                            return 200 "$request_uri\\n";
                        }

                        location = /hello {
                            return 200 "hello\\n";
                        }
                %s
                    }
                }
                """.formatted(workerConnections, port, extra);
    }

    private static long onlyWorker(PierInstance p) {
        List<ProcessHandle> w = p.awaitWorkers(1, Duration.ofSeconds(20));
        return w.getFirst().pid();
    }

    private static void awaitServed(int port) {
        Await.until(Duration.ofSeconds(30), "served", () -> {
            try {
                return RawHttp.get(port, "/hello").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @Test
    void idleConnectionsOverWorkerConnectionsAreClosedAndLoggedAndTheWorkerKeepsServing() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, 64, "")).start();
        awaitServed(port);
        long worker = onlyWorker(p);
        long t0 = System.nanoTime();

        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                c.configureBlocking(false);
                idle.add(c);
            }
            // the worker accepts each and closes those over the limit at once; give it time to get through them
            Await.until(Duration.ofSeconds(15), "at most 64 of the 500 connections still open",
                    () -> countOpen(idle) <= 64);
            Await.sleep(500);
            int open = countOpen(idle);
            assertThat(open).as("connections the worker kept").isBetween(1, 64);
            System.out.println("[figures] worker_connections 64: 500 idle connections, " + open + " kept");

            String log = p.prefix().errorLogText();
            long alerts = log.lines().filter(l -> l.contains("worker_connections are not enough")).count();
            long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds() + 1;
            // one a calendar second at most: d seconds of flood can touch ceil(d) + 1 calendar seconds
            assertThat(alerts).as("alert lines (at most one a second over %d s)", seconds).isBetween(1L, seconds + 1);
            assertThat(log).contains("[alert]").contains("64 worker_connections are not enough");

            // room again once some clients leave: a fresh client is served
            for (SocketChannel c : idle.subList(0, 100)) {
                c.close();
            }
            Await.until(Duration.ofSeconds(10), "a fresh client served after some left", () -> {
                try {
                    return RawHttp.get(port, "/hello").status() == 200;
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        assertThat(p.workerPids()).as("the worker never died").containsExactly(worker);
    }

    /** Open connections of {@code cs}: a non-blocking read that sees EOF or a reset means the server closed it. */
    private static int countOpen(List<SocketChannel> cs) {
        int open = 0;
        ByteBuffer buf = ByteBuffer.allocate(256);
        for (SocketChannel c : cs) {
            if (!c.isOpen()) {
                continue;
            }
            try {
                buf.clear();
                if (c.read(buf) >= 0) {
                    open++;
                }
            } catch (IOException reset) {
                // closed by the server
            }
        }
        return open;
    }

    @Test
    void aPipeliningFloodIsAnsweredInOrderWithBoundedMemoryWhileOthersAreServed() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, 1024, "")).start();
        awaitServed(port);
        long worker = onlyWorker(p);
        int n = 10_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("GET /p/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        byte[] flood = sb.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicLong maxRss = new AtomicLong();
        try (RawHttp conn = RawHttp.connect(port, Duration.ofSeconds(20), 16384)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = conn.socket().getOutputStream();
                    out.write(flood);
                    out.flush();
                } catch (IOException closed) {
                    // the server may close a flood; reading tells
                }
            });
            // not reading for 3 s: the server must stop reading too (back-pressure) and others are served meanwhile
            for (int i = 0; i < 15; i++) {
                Await.sleep(200);
                maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
                assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
            }
            int answered = 0;
            try {
                for (; answered < n; answered++) {
                    HttpResponse r = conn.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).as("response %d in request order", answered).isEqualTo("/p/" + answered
                            + "\n");
                    if (answered % 1000 == 0) {
                        maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
                    }
                }
            } catch (java.io.UncheckedIOException closed) {
                // a clean close is allowed; whatever came before it was in order
            }
            writer.join(Duration.ofSeconds(10));
            assertThat(answered).as("pipelined requests answered (keepalive_requests 20000)").isEqualTo(n);
        }
        System.out.println("[figures] pipelining flood: " + n + " requests, worker VmRSS max " + maxRss.get() + " KiB");
        assertThat(maxRss.get()).as("worker VmRSS in KiB during the flood").isLessThan(300 * 1024);
        assertThat(p.workerPids()).as("the worker never died").containsExactly(worker);
    }

    @Test
    void aHugeChunkedBodyGets413AndTheConnectionCloses() throws Exception {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(conf(port, 1024,
                    "location /app/ { proxy_pass http://127.0.0.1:" + backend.port() + "/; }")).start();
            awaitServed(port);
            long worker = onlyWorker(p);
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
        PierInstance p = pier.newInstance().writeConf(conf(port, 1024, "")).start();
        String content = "0123456789".repeat(100);
        p.prefix().writeHtml("r.txt", content);
        awaitServed(port);
        long worker = onlyWorker(p);

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
        PierInstance p = pier.newInstance().writeConf(conf(port, 1024, "")).start();
        awaitServed(port);
        long worker = onlyWorker(p);

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
