package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend that answers (413, 401) before the request body arrived, with {@code proxy_request_buffering off}: the
 * answer reaches the client at once (not after {@code proxy_send_timeout}), the body stops going to the backend and
 * its connection is closed, not reused; the client's connection goes on after the rest of its body is discarded.
 */
class ProxyEarlyResponseIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void anEarlyAnswerIsRelayedAndTheBodyStops() throws Exception {
        CountDownLatch backendSawEof = new CountDownLatch(1);
        long[] bodySeen = new long[1];
        try (ScriptedBackend b = new ScriptedBackend((line, headers, in, out) -> {
            if (line.contains("/ok")) {
                ScriptedBackend.head(out, "200 OK", "Content-Length: 3");
                out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
            }
            byte[] body = "too large for me\n".getBytes(StandardCharsets.US_ASCII);
            ScriptedBackend.head(out, "413 Payload Too Large", "Content-Length: " + body.length);
            out.write(body);
            out.flush();
            // what the proxy still sends is read and dropped until it closes the connection
            byte[] buf = new byte[65536];
            long n = 0;
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                n += r;
            }
            bodySeen[0] = n;
            backendSawEof.countDown();
            return false;
        })) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                        upstream b {
                            server 127.0.0.1:%d;
                            keepalive 4;
                        }
                    """.formatted(b.port()), """
                        client_max_body_size 0;
                        location / {
                            proxy_pass http://b;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_request_buffering off;
                            proxy_send_timeout 30s;
                        }
                    """)).start();
            ProxyConfs.awaitProxying(port, "/ok");
            long declared = 64L * 1024 * 1024;
            long sent = 512 * 1024;
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(20), 0)) {
                c.send(RawHttp.request("POST", "/upload", "Content-Length: " + declared));
                Thread sender = Thread.ofVirtual().start(() -> {
                    byte[] piece = new byte[16 * 1024];
                    for (long s = 0; s < sent; s += piece.length) {
                        try {
                            c.send(piece);
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
                long t0 = System.nanoTime();
                HttpResponse r = c.read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.bodyText()).isEqualTo("too large for me\n");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not after proxy_send_timeout")
                        .isLessThan(Duration.ofSeconds(15));
                sender.join(10_000);
            }
            assertThat(backendSawEof.await(10, TimeUnit.SECONDS)).as("backend connection closed, not pooled")
                    .isTrue();
            // a client that sends its whole body before it reads: the rest is read and dropped meanwhile, and the
            // connection serves its next request
            long whole = 16L * 1024 * 1024;
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(20), 0)) {
                c.send(RawHttp.request("POST", "/upload", "Content-Length: " + whole));
                byte[] piece = new byte[64 * 1024];
                for (long s = 0; s < whole; s += piece.length) {
                    c.send(piece);
                }
                HttpResponse r = c.read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.bodyText()).isEqualTo("too large for me\n");
                HttpResponse next = c.send(RawHttp.request("GET", "/ok")).read();
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.bodyText()).isEqualTo("ok\n");
            }
            assertThat(bodySeen[0]).as("the body stopped").isLessThan(declared);
            assertThat(RawHttp.get(port, "/ok").bodyText()).isEqualTo("ok\n");
            assertThat(p.prefix().errorLogText()).contains("upstream sent response while the request body was "
                    + "being sent");
        }
    }
}
