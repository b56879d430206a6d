package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Self-check of {@link RawHttp} against a canned in-process server that answers with exact bytes. */
class RawHttpTest {
    private ServerSocket server;
    private CompletableFuture<String> received;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one connection, reads {@code requests} request heads, writes {@code answer}, optionally closes. */
    private void serve(int requests, String answer, boolean closeAfter, long lingerMs) {
        received = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder heads = new StringBuilder();
                for (int r = 0; r < requests; r++) {
                    for (String line = HttpBodies.readLine(in); line != null && !line.isEmpty();
                         line = HttpBodies.readLine(in)) {
                        heads.append(line).append('\n');
                    }
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (!closeAfter) {
                    Thread.sleep(lingerMs);
                }
                return heads.toString();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void contentLengthBodyAndCaseInsensitiveHeaders() {
        serve(1, "HTTP/1.1 200 OK\r\nserver: pier/0.1.0\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello",
                true, 0);
        HttpResponse r = RawHttp.get(server.getLocalPort(), "/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.header("Server")).contains("pier/0.1.0");
        assertThat(r.headers("X-A")).containsExactly("1", "2");
        assertThat(r.bodyText()).isEqualTo("hello");
        assertThat(received.join()).startsWith("GET /x HTTP/1.1\nHost: localhost\nConnection: close\n");
    }

    @Test
    void chunkedBodyWithExtensionAndTrailer() {
        serve(1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n"
                + "X-Trailer: t\r\n\r\n", false, 2000);
        try (RawHttp c = RawHttp.connect(server.getLocalPort())) {
            assertThat(c.send(RawHttp.request("GET", "/")).read().bodyText()).isEqualTo("hello, world");
        }
    }

    @Test
    void bodyDelimitedByClose() {
        serve(1, "HTTP/1.0 200 OK\r\n\r\nuntil close", true, 0);
        assertThat(RawHttp.get(server.getLocalPort(), "/").bodyText()).isEqualTo("until close");
    }

    @Test
    void pipelinedResponsesOnOneConnectionAndHeadHasNoBody() {
        serve(3, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\ntwo", false, 2000);
        try (RawHttp c = RawHttp.connect(server.getLocalPort())) {
            c.send(RawHttp.request("GET", "/1") + RawHttp.request("HEAD", "/2") + RawHttp.request("GET", "/3"));
            assertThat(c.read().bodyText()).isEqualTo("one");
            HttpResponse head = c.readHead();
            assertThat(head.header("content-length")).contains("1000");
            assertThat(head.body()).isEmpty();
            HttpResponse third = c.read();
            assertThat(third.status()).isEqualTo(404);
            assertThat(third.bodyText()).isEqualTo("two");
        }
    }

    @Test
    void shortBodyIsAnError() {
        serve(1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true, 0);
        try (RawHttp c = RawHttp.connect(server.getLocalPort())) {
            c.send(RawHttp.request("GET", "/"));
            assertThatThrownBy(c::read).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(java.io.EOFException.class).hasStackTraceContaining("missing");
        }
    }

    @Test
    void silentServerTimesOut() {
        serve(1, "", false, 3000);
        try (RawHttp c = RawHttp.connect(server.getLocalPort(), Duration.ofMillis(300), 0)) {
            c.send(RawHttp.request("GET", "/"));
            long t0 = System.nanoTime();
            assertThatThrownBy(c::read).hasCauseInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void awaitClosedSeesServerClose() {
        serve(1, "", true, 0);
        try (RawHttp c = RawHttp.connect(server.getLocalPort())) {
            c.send(RawHttp.request("GET", "/"));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void awaitClosedReportsStillOpen() {
        serve(1, "", false, 2000);
        try (RawHttp c = RawHttp.connect(server.getLocalPort())) {
            c.send(RawHttp.request("GET", "/"));
            assertThat(c.awaitClosed(Duration.ofMillis(300))).isFalse();
        }
    }
}
