package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One GiB each way through a worker with a 64 MiB heap ({@code PIER_WORKER_OPTS=-Xmx64m}): an upload streamed to a
 * backend that counts and checksums it ({@code proxy_request_buffering off}), and a download with buffering on (the
 * part a slower client leaves behind may spool to disk). The data is made on the fly, block by block; the worker's
 * resident memory, sampled from {@code /proc/PID/status} throughout, must stay under 300 MiB.
 */
class ProxyHugeBodyIT {
    private static final long SIZE = 1L << 30;
    private static final int BLOCK = 64 * 1024;
    private static final long RSS_BOUND_KIB = 300 * 1024;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    /** Block {@code i} of the stream: a fixed pattern whose first eight bytes are the block's index. */
    private static void block(byte[] buf, long index) {
        for (int i = 0; i < 8; i++) {
            buf[i] = (byte) (index >>> (8 * i));
        }
    }

    private static byte[] template() {
        byte[] b = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static long expectedCrc() {
        CRC32C crc = new CRC32C();
        byte[] buf = template();
        for (long i = 0; i < SIZE / BLOCK; i++) {
            block(buf, i);
            crc.update(buf);
        }
        return crc.getValue();
    }

    private static void write(OutputStream out) throws IOException {
        byte[] buf = template();
        for (long i = 0; i < SIZE / BLOCK; i++) {
            block(buf, i);
            out.write(buf);
        }
        out.flush();
    }

    /** Reads exactly {@code n} bytes; returns their CRC-32C. */
    private static long read(InputStream in, long n) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[BLOCK];
        long total = 0;
        while (total < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - total));
            if (r < 0) {
                break;
            }
            crc.update(buf, 0, r);
            total += r;
        }
        assertThat(total).isEqualTo(n);
        return crc.getValue();
    }

    @Test
    void oneGibibyteEachWayWithASmallWorkerHeap() throws Exception {
        long expected = expectedCrc();
        try (ScriptedBackend b = new ScriptedBackend((line, headers, in, out) -> {
            if (line.startsWith("POST")) {
                long n = Long.parseLong(headers.get("content-length"));
                byte[] body = (n + " " + read(in, n)).getBytes(StandardCharsets.US_ASCII);
                ScriptedBackend.head(out, "200 OK", "Content-Length: " + body.length);
                out.write(body);
                out.flush();
                return true;
            }
            ScriptedBackend.head(out, "200 OK", "Content-Length: " + SIZE);
            write(out);
            return true;
        })) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().env("PIER_WORKER_OPTS", "-Xmx64m")
                    .writeConf(ProxyConfs.conf(1, port, "", """
                            client_max_body_size 0;
                            location / {
                                proxy_pass http://127.0.0.1:%d;
                                proxy_http_version 1.1;
                                proxy_request_buffering off;
                            }
                            location /ready { return 200; }
                        """.formatted(b.port()))).start();
            ProxyConfs.awaitProxying(port, "/ready");
            assertThat(p.workers()).allSatisfy(w -> assertThat(List.of(w.info().arguments().orElseThrow()))
                    .as("worker JVM options").contains("-Xmx64m"));
            long worker = p.workers().getFirst().pid();
            AtomicLong maxRss = new AtomicLong();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
                    c.send(RawHttp.request("POST", "/upload", "Content-Length: " + SIZE));
                    write(c.socket().getOutputStream());
                    HttpResponse r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo(SIZE + " " + expected);
                }
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
                    RawHttp.Streamed s = c.send(RawHttp.request("GET", "/download")).readStreamed();
                    assertThat(s.head().status()).isEqualTo(200);
                    assertThat(s.head().header("Content-Length")).hasValue(Long.toString(SIZE));
                    assertThat(read(s.body(), SIZE)).isEqualTo(expected);
                }
            } finally {
                sampler.interrupt();
                sampler.join(1000);
            }
            maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
            System.out.println("ProxyHugeBodyIT: worker VmRSS peak " + maxRss.get() + " KiB");
            assertThat(p.workers()).as("the worker survived").hasSize(1);
            assertThat(p.workers().getFirst().pid()).isEqualTo(worker);
            assertThat(maxRss.get()).as("worker VmRSS peak in KiB").isPositive().isLessThan(RSS_BOUND_KIB);
            assertThat(p.prefix().errorLogText()).doesNotContain("OutOfMemoryError").doesNotContain("[crit]");
        }
    }
}
