package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection exhaustion against one real worker (issue 7): more idle connections than {@code worker_connections}, and
 * a pipelining flood from a client that does not read. Each is cut off or answered as nginx does, the worker stays
 * alive and bounded, and other clients are served. Oversized requests: {@link RequestBombsIT}.
 */
class ExhaustionIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void idleConnectionsOverWorkerConnectionsAreClosedAndLoggedAndTheWorkerKeepsServing() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.exhaustion(port, 64, "")).start();
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();
        long t0 = System.nanoTime();

        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                c.configureBlocking(false);
                idle.add(c);
            }
            // the worker accepts each and closes those over the limit at once; give it time to get through them
            Await.until(Duration.ofSeconds(15), "at most 64 of the 500 connections still open",
                    () -> ClientSockets.countOpen(idle) <= 64);
            Await.sleep(500);
            int open = ClientSockets.countOpen(idle);
            assertThat(open).as("connections the worker kept").isBetween(1, 64);
            System.out.println("[figures] worker_connections 64: 500 idle connections, " + open + " kept");

            String log = p.prefix().errorLogText();
            long alerts = log.lines().filter(l -> l.contains("worker_connections are not enough")).count();
            long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds() + 1;
            // one a calendar second at most: d seconds of flood can touch ceil(d) + 1 calendar seconds
            assertThat(alerts).as("alert lines (at most one a second over %d s)", seconds).isBetween(1L, seconds + 1);
            assertThat(log).contains("[alert]").contains("64 worker_connections are not enough");

            // room again once some clients leave: a fresh client is served
            for (SocketChannel c : idle.subList(0, 100)) {
                c.close();
            }
            RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(10), "a fresh client served after some left");
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        assertThat(p.workerPids()).as("the worker never died").containsExactly(worker);
    }

    @Test
    void aPipeliningFloodIsAnsweredInOrderWithBoundedMemoryWhileOthersAreServed() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.exhaustion(port, 1024, "")).start();
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();
        int n = 10_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("GET /p/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        byte[] flood = sb.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicLong maxRss = new AtomicLong();
        try (RawHttp conn = RawHttp.connect(port, Duration.ofSeconds(20), 16384)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = conn.socket().getOutputStream();
                    out.write(flood);
                    out.flush();
                } catch (IOException closed) {
                    // the server may close a flood; reading tells
                }
            });
            // not reading for 3 s: the server must stop reading too (back-pressure) and others are served meanwhile
            for (int i = 0; i < 15; i++) {
                Await.sleep(200);
                maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
                assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
            }
            int answered = 0;
            try {
                for (; answered < n; answered++) {
                    HttpResponse r = conn.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).as("response %d in request order", answered).isEqualTo("/p/" + answered
                            + "\n");
                    if (answered % 1000 == 0) {
                        maxRss.accumulateAndGet(ProcStatus.rssKib(worker), Math::max);
                    }
                }
            } catch (java.io.UncheckedIOException closed) {
                // a clean close is allowed; whatever came before it was in order
            }
            writer.join(Duration.ofSeconds(10));
            assertThat(answered).as("pipelined requests answered (keepalive_requests 20000)").isEqualTo(n);
        }
        System.out.println("[figures] pipelining flood: " + n + " requests, worker VmRSS max " + maxRss.get() + " KiB");
        assertThat(maxRss.get()).as("worker VmRSS in KiB during the flood").isLessThan(300 * 1024);
        assertThat(p.workerPids()).as("the worker never died").containsExactly(worker);
    }
}
