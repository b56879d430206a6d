package dev.pier.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Charset recoding against the real server: a koi8-r static file served as UTF-8 (and gzip-compressed after
 * recoding), and a proxied windows-1251 response recoded with {@code override_charset on}.
 */
class CharsetIT {
    private static final Charset KOI8R = Charset.forName("KOI8-R");
    private static final Charset CP1251 = Charset.forName("windows-1251");
    private static final String TEXT = "Съешь же ещё этих мягких французских булок\n".repeat(50);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private int port;
    private ServerSocket backend;

    @BeforeEach
    void start() throws IOException {
        port = Ports.free();
        backend = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serveBackend);
        PierInstance server = pier.newInstance();
        Files.createDirectories(server.prefix().html().resolve("koi"));
        Files.write(server.prefix().html().resolve("koi/t.txt"), TEXT.getBytes(KOI8R));
        server.writeConf("""
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 64; }
                http {
                    types { text/plain txt; }
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        location /koi/ { charset utf-8; source_charset koi8-r; gzip on; gzip_types text/plain; }
                        location /p/ { proxy_pass http://127.0.0.1:%d; charset utf-8; override_charset on; }
                    }
                }
                """.formatted(port, backend.getLocalPort()));
        server.start();
        server.awaitWorkers(1, Duration.ofSeconds(20));
    }

    @AfterEach
    void stopBackend() throws IOException {
        backend.close();
    }

    /** Answers every request with TEXT in windows-1251, naming that charset. */
    private void serveBackend() {
        while (!backend.isClosed()) {
            try (Socket s = backend.accept()) {
                InputStream in = s.getInputStream();
                int state = 0;
                while (state < 4) { // up to the empty line
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    state = b == '\r' || b == '\n' ? state + 1 : 0;
                }
                byte[] body = TEXT.getBytes(CP1251);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                if (!backend.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void staticKoi8rFileIsServedAsUtf8AndCompressedAfterRecoding() throws IOException {
        HttpResponse plain = RawHttp.get(port, "/koi/t.txt");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
        assertThat(plain.header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);

        HttpResponse gz;
        try (RawHttp c = RawHttp.connect(port)) {
            gz = c.send(RawHttp.request("GET", "/koi/t.txt", "Accept-Encoding: gzip", "Connection: close")).read();
        }
        assertThat(gz.header("Content-Encoding")).contains("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
        }
    }

    @Test
    void proxiedResponseNamingItsCharsetIsRecodedWithOverrideCharset() {
        HttpResponse r = RawHttp.get(port, "/p/x");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }
}
