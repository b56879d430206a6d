package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * client_header_timeout, client_body_timeout and send_timeout at 1s against the real server: a slowloris head is
 * closed without a response, a stalled body gets 408, a client that never reads loses its connection.
 */
class TimeoutsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private int start(ProxyBackend backend) {
        int port = Ports.free();
        pier.newInstance().writeConf(ProxyConfs.conf(1, port,
                "client_header_timeout 1s; client_body_timeout 1s; send_timeout 1s;",
                "location /app/ { proxy_pass http://127.0.0.1:" + backend.port() + "; }\n"
                        + "location = /hello { return 200 \"hello\\n\"; }")).start();
        ProxyConfs.awaitProxying(port, "/app/ready");
        return port;
    }

    @Test
    void timeouts() throws Exception {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = start(backend);

            // slowloris: a header byte every 200 ms never completes a head within client_header_timeout
            try (RawHttp conn = RawHttp.connect(port)) {
                conn.send("GET /hello HTTP/1.1\r\n");
                long t0 = System.nanoTime();
                Thread dribble = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = conn.socket().getOutputStream();
                        for (byte b : "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII)) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException closed) {
                        // the server closed it: expected
                    }
                });
                assertThat(conn.awaitClosed(Duration.ofSeconds(8))).isTrue(); // no byte of a response either
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
                dribble.join();
            }

            // a body that stops: 408 after client_body_timeout
            try (RawHttp conn = RawHttp.connect(port)) {
                HttpResponse r = conn.send("POST /app/sha HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc")
                        .read();
                assertThat(r.status()).as(r.toString()).isEqualTo(408);
                assertThat(conn.awaitClosed(Duration.ofSeconds(10))).isTrue();
            }

            // a client that never reads a 64 MiB response is cut off after send_timeout
            long total = 64L << 20;
            try (RawHttp conn = RawHttp.connect(port, Duration.ofSeconds(20), 4096)) {
                conn.send("GET /app/big/" + total + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(4000); // never reading: the server's writes stall
                InputStream in = conn.socket().getInputStream();
                byte[] buf = new byte[65536];
                long got = 0;
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        got += n;
                    }
                } catch (IOException reset) {
                    // a reset also ends it
                }
                assertThat(got).isLessThan(total);
            }

            assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
        }
    }
}
