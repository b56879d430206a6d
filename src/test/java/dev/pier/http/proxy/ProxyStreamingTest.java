package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.proxy.Front.implicit;
import static dev.pier.http.proxy.Front.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Large bodies both ways, WebSocket passthrough and client abort, over loopback. */
class ProxyStreamingTest {
    private static final long BIG = 64L * 1024 * 1024;

    @BeforeAll
    static void epoll() {
        assumeTrue(Epoll.isAvailable(), "native epoll");
    }

    private static Map<String, ProxyConf> to(int port, java.util.function.UnaryOperator<Front.Cfg> edit) {
        return Map.of("/", pass(implicit(port), "127.0.0.1:" + port, port, null, "/", edit));
    }

    @Test
    @Timeout(120)
    void streams64MiBDownloadChunkedToClient() throws Exception {
        for (boolean buffering : new boolean[]{true, false}) {
            try (Backend b = new Backend("b"); Front f = new Front(to(b.port(), c -> c.buffering(buffering)))) {
                try (Socket s = new Socket("127.0.0.1", f.port())) {
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(("GET /big?n=" + BIG + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    String head = Raw.readHead(in);
                    assertThat(head).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
                    long total = 0;
                    byte[] buf = new byte[65536];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        total += r;
                    }
                    // chunk framing adds a little; the payload is all there and the response ends with 0\r\n\r\n
                    assertThat(total).isBetween(BIG, BIG + BIG / 100);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void streams64MiBUploadWithContentLengthAndChunked() throws Exception {
        try (Backend b = new Backend("b"); Front f = new Front(to(b.port(), c -> c.v11()))) {
            try (Socket s = new Socket("127.0.0.1", f.port())) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + BIG
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[65536];
                for (long left = BIG; left > 0; left -= buf.length) {
                    out.write(buf);
                }
                out.flush();
                String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(res).startsWith("HTTP/1.1 200");
                assertThat(Raw.body(res)).isEqualTo(Long.toString(BIG));
            }
        }
        // the chunked body read whole first (sent with Content-Length), then streamed as it comes: re-chunked
        for (boolean buffering : new boolean[]{true, false}) {
            try (Backend b = new Backend("b");
                 Front f = new Front(to(b.port(), c -> c.v11().requestBuffering(buffering)))) {
                chunkedUpload(f.port());
            }
        }
    }

    private static void chunkedUpload(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked"
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[65536];
            long n = 0;
            for (int i = 0; i < 64; i++) {
                out.write((Integer.toHexString(buf.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buf);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                n += buf.length;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(res).startsWith("HTTP/1.1 200");
            assertThat(Raw.body(res)).isEqualTo(Long.toString(n));
        }
    }

    @Test
    @Timeout(30)
    void webSocketUpgradeIsRelayedBothWays() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            CountDownLatch seen = new CountDownLatch(1);
            String[] requestHead = new String[1];
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = backend.accept()) {
                    requestHead[0] = Raw.readHead(s.getInputStream());
                    seen.countDown();
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().transferTo(s.getOutputStream()); // echo until the proxy closes
                } catch (java.io.IOException ignored) {
                    // test over
                }
            });
            int port = backend.getLocalPort();
            try (Front f = new Front(to(port, c -> c.v11().header("Upgrade", "$http_upgrade")
                    .header("Connection", "upgrade").read(Duration.ofSeconds(5))))) {
                try (Socket s = new Socket("127.0.0.1", f.port())) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    String head = Raw.readHead(in);
                    assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols").contains("Upgrade: websocket")
                            .containsIgnoringCase("Connection: upgrade");
                    assertThat(seen.await(5, TimeUnit.SECONDS)).isTrue();
                    assertThat(requestHead[0]).contains("Upgrade: websocket").contains("Connection: upgrade")
                            .contains("Sec-WebSocket-Key: abc");
                    for (int i = 0; i < 20; i++) {
                        byte[] msg = ("frame-" + i).getBytes(StandardCharsets.US_ASCII);
                        out.write(msg);
                        out.flush();
                        assertThat(in.readNBytes(msg.length)).isEqualTo(msg);
                    }
                }
            }
            t.join(5000);
        }
    }

    @Test
    @Timeout(30)
    void clientAbortClosesTheUpstreamRequest() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            CountDownLatch closed = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try (Socket s = backend.accept()) {
                    Raw.readHead(s.getInputStream());
                    // never answer; wait for the proxy to close its side
                    if (s.getInputStream().read() < 0) {
                        closed.countDown();
                    }
                } catch (java.io.IOException e) {
                    closed.countDown();
                }
            });
            int port = backend.getLocalPort();
            try (Front f = new Front(to(port, c -> c))) {
                try (Socket s = new Socket("127.0.0.1", f.port())) {
                    s.getOutputStream().write("GET /hang HTTP/1.1\r\nHost: localhost\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(300);
                }
                assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(100);
                assertThat(f.log()).contains("client prematurely closed connection");
            }
        }
    }
}
