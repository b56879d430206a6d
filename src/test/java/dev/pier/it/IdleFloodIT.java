package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 10,000 idle client connections against one worker with {@code worker_connections 1024}, connected without
 * blocking in batches the listen queue can take: the worker keeps at most 1024 and closes the rest at once, says
 * {@code worker_connections are not enough} (at most once a second), answers a kept-alive client in the middle of the
 * flood, and a new client once the flood is gone. Needs about 10,100 descriptors in this JVM and in the worker.
 */
class IdleFloodIT {
    private static final int FLOOD = 10_000;
    private static final int BATCH = 250;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tenThousandIdleConnectionsAgainstWorkerConnections1024() throws Exception {
        assumeTrue(maxOpenFiles(Path.of("/proc/self/limits")) > FLOOD + 500, "ulimit -n too low for the flood");
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes 1;
                error_log logs/error.log notice;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:%d;
                        location = /hello { return 200 "hello\\n"; }
                    }
                }
                """.formatted(port)).start();
        long worker = p.awaitWorkers(1, Duration.ofSeconds(20)).getFirst().pid();
        assumeTrue(maxOpenFiles(Path.of("/proc/" + worker + "/limits")) > 1100, "worker's ulimit -n");
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        List<SocketChannel> flood = new ArrayList<>(FLOOD);
        try (RawHttp kept = RawHttp.connect(port); Selector selector = Selector.open()) {
            assertThat(kept.send(RawHttp.request("GET", "/hello")).read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            for (int done = 0; done < FLOOD; done += BATCH) {
                connectBatch(selector, port, flood);
                if (done == FLOOD / 2) {
                    // during the flood: the kept-alive client is one of the worker's connections and is answered
                    assertThat(kept.send(RawHttp.request("GET", "/hello")).read().status()).isEqualTo(200);
                }
            }
            Await.until(Duration.ofSeconds(20), "at most 1024 of the flood still open",
                    () -> ClientSockets.countOpen(flood) <= 1024);
            int open = ClientSockets.countOpen(flood);
            long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds() + 1;
            System.out.println("[figures] " + FLOOD + " idle connections in " + seconds + " s, " + open
                    + " kept by the worker");
            assertThat(open).as("connections the worker kept").isBetween(1, 1023);
            assertThat(kept.send(RawHttp.request("GET", "/hello")).read().status()).isEqualTo(200);

            String log = p.prefix().errorLogText();
            long alerts = log.lines().filter(l -> l.contains("1024 worker_connections are not enough")).count();
            assertThat(alerts).as("alerts, at most one a second over %d s", seconds).isBetween(1L, seconds + 1);
        } finally {
            for (SocketChannel c : flood) {
                c.close();
            }
        }
        // after: room again
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(10), "a new client served after the flood");
        assertThat(p.workerPids()).as("the worker never died").containsExactly(worker);
    }

    /** Opens {@value #BATCH} non-blocking connections and waits until the kernel completed (or refused) each. */
    private static void connectBatch(Selector selector, int port, List<SocketChannel> into) throws IOException {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int pending = 0;
        for (int i = 0; i < BATCH; i++) {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            into.add(c);
            if (!c.connect(to)) {
                c.register(selector, SelectionKey.OP_CONNECT);
                pending++;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending > 0 && System.nanoTime() < deadline) {
            selector.select(200);
            for (SelectionKey k : selector.selectedKeys()) {
                SocketChannel c = (SocketChannel) k.channel();
                try {
                    if (c.finishConnect()) {
                        k.cancel();
                        pending--;
                    }
                } catch (IOException refused) {
                    k.cancel();
                    c.close();
                    pending--;
                }
            }
            selector.selectedKeys().clear();
        }
        selector.selectNow(); // flush cancelled keys
    }

    /** The soft "Max open files" of a process from its /proc limits. */
    private static long maxOpenFiles(Path limits) throws IOException {
        for (String l : Files.readAllLines(limits)) {
            if (l.startsWith("Max open files")) {
                String soft = l.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return 0;
    }
}
