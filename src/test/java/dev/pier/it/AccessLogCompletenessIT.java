package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's log completeness: 100,000 requests from 8 keep-alive clients (raw sockets, loopback) against
 * {@code access_log ... buffer=64k flush=1s}, then {@code pier -s quit}: exactly one parseable {@code combined} line
 * per request, and per client as many lines as it sent requests. Once plain, once with {@code mv} + USR1 in the
 * middle of the load (the two files together hold every line).
 */
class AccessLogCompletenessIT {
    private static final int CLIENTS = 8;
    private static final int TOTAL = 100_000;
    private static final int PER_CLIENT = TOTAL / CLIENTS;
    /** nginx's combined format as Pier writes it for these requests. */
    private static final Pattern COMBINED = Pattern.compile("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:"
            + "\\d\\d [+-]\\d{4}] \"GET /hello\\?c=(\\d+)&i=(\\d+) HTTP/1\\.1\" 200 6 \"-\" \"client-(\\d+)\"");

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void everyRequestHasExactlyOneLine() throws Exception {
        run(false);
    }

    @Test
    void everyRequestHasExactlyOneLineAcrossRotation() throws Exception {
        run(true);
    }

    private void run(boolean rotate) throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.bufferedAccessLog(port, "64k", "")).start();
        ReuseportIT.awaitWorkersHoldingSockets(p, port);
        Path log = p.prefix().logs().resolve("access.log");
        Path rotated = p.prefix().logs().resolve("access.log.1");

        AtomicInteger done = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = Thread.ofPlatform().name("client-" + c).start(() -> {
                try {
                    keepAliveClient(port, client, done);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            clients.add(t);
        }
        if (rotate) {
            Await.until(Duration.ofSeconds(60), "half the requests", () -> done.get() >= TOTAL / 2);
            Files.move(log, rotated);
            assertThat(p.run("-s", "reopen").exitCode()).isZero(); // the load goes on meanwhile
        }
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(120).toMillis());
        }
        assertThat(failures).isEmpty();
        assertThat(done.get()).isEqualTo(TOTAL);

        assertThat(p.run("-s", "quit").exitCode()).isZero();
        assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();

        int[] perClient = new int[CLIENTS];
        int total = 0;
        List<Path> files = rotate ? List.of(rotated, log) : List.of(log);
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            if (rotate) {
                assertThat(lines).as(f + " has lines").isNotEmpty();
            }
            for (String line : lines) {
                Matcher m = COMBINED.matcher(line);
                assertThat(m.matches()).as("combined line: %s", line).isTrue();
                assertThat(m.group(1)).isEqualTo(m.group(3));
                perClient[Integer.parseInt(m.group(1))]++;
                total++;
            }
        }
        assertThat(total).isEqualTo(TOTAL);
        for (int c = 0; c < CLIENTS; c++) {
            assertThat(perClient[c]).as("lines of client %d", c).isEqualTo(PER_CLIENT);
        }
    }

    /**
     * Keep-alive requests one at a time, a fresh connection whenever the server ends one ({@code keepalive_requests}
     * is 1000 as in nginx); a lean reader so the client is not the bottleneck.
     */
    private static void keepAliveClient(int port, int client, AtomicInteger done) throws IOException {
        int i = 0;
        while (i < PER_CLIENT) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                boolean open = true;
                while (open && i < PER_CLIENT) {
                    out.write(("GET /hello?c=" + client + "&i=" + i + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "User-Agent: client-" + client + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String head = readResponse(in);
                    if (!head.startsWith("HTTP/1.1 200 ")) {
                        throw new IllegalStateException("client " + client + " request " + i + ": " + head);
                    }
                    open = !head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n");
                    i++;
                    done.incrementAndGet();
                }
            }
        }
    }

    /** Reads one response with a Content-Length body; returns its head. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new UncheckedIOException(new IOException("connection closed mid-response: " + head));
            }
            head.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString();
        int cl = h.toLowerCase(java.util.Locale.ROOT).indexOf("\r\ncontent-length:");
        int length = 0;
        if (cl >= 0) {
            int end = h.indexOf('\r', cl + 2);
            length = Integer.parseInt(h.substring(cl + 17, end).trim());
        }
        for (int i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new IOException("body cut short");
            }
        }
        return h;
    }
}
