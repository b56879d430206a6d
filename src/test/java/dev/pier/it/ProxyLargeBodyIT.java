package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies three times the worker's heap, both ways, through the real {@code bin/pier} with
 * {@code PIER_WORKER_OPTS=-Xmx64m}: the proxy must stream (back-pressure both ways), never hold a body whole.
 */
class ProxyLargeBodyIT {
    private static final long SIZE = 192L * 1024 * 1024;
    private static final int PIECE = 64 * 1024;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void largeBodiesBothWaysWithASmallWorkerHeap() throws Exception {
        try (ProxyBackend b = new ProxyBackend("big")) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().env("PIER_WORKER_OPTS", "-Xmx64m")
                    .writeConf(ProxyConfs.conf(1, port, "", """
                            client_max_body_size 0; # the default 1m would answer 413, as in nginx
                            location / {
                                proxy_pass http://127.0.0.1:%d;
                                proxy_http_version 1.1;
                            }
                            location /unbuffered/ {
                                proxy_pass http://127.0.0.1:%d/;
                                proxy_buffering off;
                            }
                        """.formatted(b.port(), b.port()))).start();
            assertThat(p.workers()).allSatisfy(w -> assertThat(List.of(w.info().arguments().orElseThrow()))
                    .as("worker JVM options").contains("-Xmx64m"));
            String expected = patternSha(SIZE);

            // upload with Content-Length, then chunked
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
                c.send(RawHttp.request("POST", "/sha", "Content-Length: " + SIZE));
                sendPattern(c, SIZE, false);
                HttpResponse r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(SIZE + " " + expected);
            }
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
                c.send(RawHttp.request("POST", "/sha", "Transfer-Encoding: chunked"));
                sendPattern(c, SIZE, true);
                HttpResponse r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(SIZE + " " + expected);
            }
            // download, buffered and not
            for (String path : List.of("/big/" + SIZE, "/unbuffered/big/" + SIZE)) {
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
                    RawHttp.Streamed s = c.send(RawHttp.request("GET", path)).readStreamed();
                    assertThat(s.head().status()).isEqualTo(200);
                    assertThat(s.head().header("Content-Length")).hasValue(Long.toString(SIZE));
                    assertThat(sha(s.body(), SIZE)).as(path).isEqualTo(expected);
                }
            }
            assertThat(p.workers()).as("no worker died (out of memory)").hasSize(1);
            assertThat(p.prefix().errorLogText()).doesNotContain("OutOfMemoryError");
        }
    }

    private static void sendPattern(RawHttp c, long size, boolean chunked) {
        byte[] buf = new byte[PIECE];
        for (long off = 0; off < size; off += PIECE) {
            int n = (int) Math.min(PIECE, size - off);
            for (int i = 0; i < n; i++) {
                buf[i] = ProxyBackend.pattern(off + i);
            }
            if (chunked) {
                c.send(Integer.toHexString(n) + "\r\n");
            }
            c.send(n == PIECE ? buf : java.util.Arrays.copyOf(buf, n));
            if (chunked) {
                c.send("\r\n");
            }
        }
        if (chunked) {
            c.send("0\r\n\r\n");
        }
    }

    private static String patternSha(long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[PIECE];
        for (long off = 0; off < size; off += PIECE) {
            int n = (int) Math.min(PIECE, size - off);
            for (int i = 0; i < n; i++) {
                buf[i] = ProxyBackend.pattern(off + i);
            }
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha(InputStream in, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[PIECE];
        long total = 0;
        for (int r = in.read(buf); r > 0; r = in.read(buf)) {
            md.update(buf, 0, r);
            total += r;
            if (total >= size) {
                break;
            }
        }
        assertThat(total).isEqualTo(size);
        return HexFormat.of().formatHex(md.digest());
    }
}
