package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_request_buffering on} (nginx's default) through the real {@code bin/pier}: the backend is connected
 * only once the whole body is read; a body over {@code client_body_buffer_size} goes through a temp file in
 * {@code client_body_temp_path}, which the master made for the worker user and which is empty afterwards; a chunked
 * body reaches the backend with a {@code Content-Length}; {@code Expect: 100-continue} is answered by Pier and not
 * passed on. With {@code off} the body streams as it arrives.
 */
class ProxyRequestBufferingIT {
    private static final int SIZE = 300 * 1024;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void wholeBodyFirstThroughAnUnlinkedTempFile() throws Exception {
        try (ProxyBackend b = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                        client_max_body_size 10m;
                        location / { proxy_pass http://127.0.0.1:%1$d; proxy_http_version 1.1; }
                        location /stream/ { proxy_pass http://127.0.0.1:%1$d/; proxy_request_buffering off; }
                    """.formatted(b.port()))).start();
            ProxyConfs.awaitProxying(port, "/ready");
            Path temp = p.prefix().dir().resolve("client_body_temp");
            assertThat(temp).isDirectory();
            if (isRoot()) {
                // the workers run as nobody and write there
                assertThat(Files.getAttribute(temp, "unix:uid")).isEqualTo(uid("nobody"));
            }
            byte[] body = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                body[i] = (byte) (i * 13);
            }
            String expected = SIZE + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

            int before = b.connections();
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(20), 0)) {
                c.send(RawHttp.request("POST", "/sha", "Content-Length: " + SIZE, "Connection: close"));
                c.send(java.util.Arrays.copyOf(body, SIZE / 2));
                Thread.sleep(500);
                assertThat(b.connections()).as("no backend connection before the whole body is read")
                        .isEqualTo(before);
                try (var names = Files.list(temp)) {
                    assertThat(names).as("the temp file is unlinked while in use").isEmpty();
                }
                c.send(java.util.Arrays.copyOfRange(body, SIZE / 2, SIZE));
                assertThat(c.read().bodyText()).isEqualTo(expected);
            }

            // a chunked body is sent on with its length
            try (RawHttp c = RawHttp.connect(port)) {
                c.send(RawHttp.request("POST", "/echo", "Transfer-Encoding: chunked", "Connection: close"));
                c.send("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
                String seen = c.read().bodyText();
                assertThat(seen).contains("\ncontent-length: 11\n").doesNotContain("transfer-encoding");
            }

            // Expect: 100-continue, buffered and streamed: Pier answers the 100 itself when it starts reading the body
            // and does not pass the expectation on (nginx sends no Expect to a backend)
            for (String target : new String[] {"/echo", "/stream/echo"}) {
                try (RawHttp c = RawHttp.connect(port)) {
                    c.send(RawHttp.request("POST", target, "Content-Length: 5", "Expect: 100-continue"));
                    assertThat(c.readHead().status()).as("interim answer for " + target).isEqualTo(100);
                    c.send("hello");
                    HttpResponse r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).contains("\ncontent-length: 5\n").doesNotContain("expect");
                }
            }

            // proxy_request_buffering off: the backend sees the request while the body is still coming
            before = b.connections();
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(20), 0)) {
                c.send(RawHttp.request("POST", "/stream/sha", "Content-Length: " + SIZE, "Connection: close"));
                c.send(java.util.Arrays.copyOf(body, SIZE / 2));
                int was = before;
                Await.until(Duration.ofSeconds(10), "a backend connection while the body streams",
                        () -> b.connections() > was);
                c.send(java.util.Arrays.copyOfRange(body, SIZE / 2, SIZE));
                assertThat(c.read().bodyText()).isEqualTo(expected);
            }
            try (var names = Files.list(temp)) {
                assertThat(names).as("nothing left behind").isEmpty();
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int uid(String user) throws Exception {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals(user)) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new IllegalStateException(user);
    }
}
