package dev.pier.http;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code send_timeout} on a worker's serving path: a client that keeps taking a large file's bytes, more slowly than
 * they are sent, keeps its connection for many times the timeout; one that stops taking them is closed with
 * {@code client timed out} logged. With {@code sendfile} (file regions, watched piece by piece) and without (buffers
 * read from the file).
 */
class SendTimeoutTest {
    private static final long SIZE = 64L << 20;
    private static final byte[] GET = "GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "sendfile {0}")
    @ValueSource(strings = {"on", "off"})
    void aClientThatKeepsReadingSlowlyKeepsItsConnection(String sendfile, @TempDir Path dir) throws Exception {
        serve(sendfile, dir, port -> {
            try (Socket s = requestBig(port)) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000); // four send_timeouts
                while (System.nanoTime() < end) {
                    int n = in.read(buf);
                    assertThat(n).as("still open after %d bytes", got).isPositive();
                    got += n;
                    Thread.sleep(1); // at most some 16 MB/s: far slower than loopback, so the server's writes wait
                }
                assertThat(got).as("read slower than sent").isLessThan(SIZE);
            }
        });
        assertThat(Files.readString(dir.resolve("error.log"))).doesNotContain("client timed out");
    }

    @ParameterizedTest(name = "sendfile {0}")
    @ValueSource(strings = {"on", "off"})
    void aClientThatStopsReadingIsClosedAfterSendTimeout(String sendfile, @TempDir Path dir) throws Exception {
        serve(sendfile, dir, port -> {
            try (Socket s = requestBig(port)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(dir.resolve("error.log")).contains("client timed out")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20); // not reading: the server's writes stall
                }
                assertThat(Files.readString(dir.resolve("error.log"))).contains("client timed out")
                        .contains("while sending response to client");
                assertThat(drain(s.getInputStream())).as("cut off before the end").isLessThan(SIZE);
            }
        });
    }

    /** A server of one location serving {@code dir}/html with {@code send_timeout 500ms}, logging info to error.log. */
    private static void serve(String sendfile, Path dir, LoopServer.Client client) throws Exception {
        Path html = Files.createDirectories(dir.resolve("html"));
        try (RandomAccessFile f = new RandomAccessFile(html.resolve("big").toFile(), "rw")) {
            f.setLength(SIZE);
        }
        String conf = "http { access_log off; sendfile " + sendfile + "; send_timeout 500ms; server { root " + html
                + "; location / { } } }";
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.INFO), false);
        try {
            LoopServer.serve(conf, dir, log, client);
        } finally {
            log.close();
        }
    }

    /**
     * A client that asked for the large file, its socket with a small receive buffer so that the server's writes
     * stall soon when it does not read.
     */
    private static Socket requestBig(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(16 * 1024);
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(GET);
        return s;
    }

    /** Reads to the end (or a reset); the bytes read. */
    private static long drain(InputStream in) {
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got += n;
            }
        } catch (IOException reset) {
            // a reset ends it too
        }
        return got;
    }
}
