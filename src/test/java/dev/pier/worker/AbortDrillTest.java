package dev.pier.worker;

import dev.pier.log.ErrorLog;
import dev.pier.master.DrillSocket;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abort drill on a real event loop and a loopback socket of its own: it drills only while the worker has
 * connections, serves every kind of abandoned exchange to its end (no connection left open), answers with its own
 * configuration, stops at its budget or when the worker shuts down, and closes its socket then.
 */
@Timeout(30)
class AbortDrillTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final EventLoop loop = group.next();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** The worker's connections: a count, and the drill's wait for the next one. */
    private static final class Fake {
        final AtomicInteger count;
        final AtomicReference<Runnable> waiter = new AtomicReference<>();

        Fake(int open) {
            count = new AtomicInteger(open);
        }

        AbortDrill.Activity activity() {
            return new AbortDrill.Activity(count::get, waiter::set);
        }

        void opened(int n) {
            count.set(n);
            Runnable r = waiter.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    private int socket() {
        return DrillSocket.open(ErrorLog.silent()).orElseThrow();
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get();
    }

    private void awaitEnd(AbortDrill drill) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (onLoop(drill::listening) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void drillsEveryKindOfAbandonedExchangeToItsEndWhileTheWorkerHasConnections() throws Exception {
        int budget = 4 * AbortDrill.KINDS;
        AbortDrill drill = AbortDrill.start(loop, socket(), new Fake(1).activity(), () -> false, budget, ErrorLog.silent());
        awaitEnd(drill);

        assertThat(onLoop(drill::listening)).as("socket closed after the last exchange").isFalse();
        assertThat(onLoop(drill::started)).isEqualTo(budget);
        assertThat(onLoop(drill::accepted)).as("each exchange on a connection of its own").isEqualTo(budget);
        assertThat(onLoop(drill::answered)).as("the reading kind got the drill's own 200 each time")
                .isEqualTo(budget / AbortDrill.KINDS);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (onLoop(drill::open) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(onLoop(drill::open)).as("every abandoned connection closed on the serving side").isZero();
    }

    @Test
    void anIdleWorkerIsNotDrilled() throws Exception {
        Fake real = new Fake(0);
        AbortDrill drill = AbortDrill.start(loop, socket(), real.activity(), () -> false, 3, ErrorLog.silent());
        Thread.sleep(30 * AbortDrill.TICK_MILLIS);
        assertThat(onLoop(drill::started)).as("no connections of its own: nothing drilled").isZero();
        assertThat(onLoop(drill::listening)).isTrue();

        assertThat(real.waiter.get()).as("waits for the next connection, no timer").isNotNull();
        real.opened(2); // connections come: the drill runs, to its budget
        awaitEnd(drill);
        assertThat(onLoop(drill::started)).isEqualTo(3);
        assertThat(onLoop(drill::listening)).isFalse();
    }

    @Test
    void aWorkerShuttingDownEndsTheDrill() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        AbortDrill drill = AbortDrill.start(loop, socket(), new Fake(1).activity(), stopping::get, 1_000_000, ErrorLog.silent());
        Thread.sleep(10 * AbortDrill.TICK_MILLIS);
        stopping.set(true);
        awaitEnd(drill);
        int started = onLoop(drill::started);
        assertThat(started).isPositive().isLessThan(1_000);
        assertThat(onLoop(drill::listening)).isFalse();
        Thread.sleep(5 * AbortDrill.TICK_MILLIS);
        assertThat(onLoop(drill::started)).as("nothing after the end").isEqualTo(started);
    }

    @Test
    void aLoopShuttingDownClosesTheClientSocketsWhoseStepsWillNotRun() throws Exception {
        AbortDrill drill = AbortDrill.start(loop, socket(), new Fake(0).activity(), () -> false, 1, ErrorLog.silent());
        int before = onLoop(() -> {
            drill.exchange(3); // its first step is a millisecond away
            return drill.clients();
        });
        assertThat(before).isEqualTo(1);
        loop.submit(() -> group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)).sync(); // before the step runs
        group.terminationFuture().sync();
        assertThat(drill.clients()).as("the pending exchange's socket closed at shutdown").isZero();
    }

    @Test
    void theDrillsConnectionsCountAgainstALimitOfTheirOwn() throws Exception {
        AbortDrill drill = AbortDrill.start(loop, socket(), new Fake(0).activity(), () -> false, 1, ErrorLog.silent());
        InetSocketAddress at = drill.address();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < AbortDrill.CONNECTIONS; i++) {
                held.add(new Socket(at.getAddress(), at.getPort()));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (onLoop(drill::open) < AbortDrill.CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(onLoop(drill::open)).isEqualTo(AbortDrill.CONNECTIONS);

            try (Socket over = new Socket(at.getAddress(), at.getPort())) { // one over the limit: closed at once
                over.setSoTimeout(10_000);
                over.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readAll(over)).as("no answer over the limit").isEmpty();
            }
            assertThat(onLoop(drill::open)).isEqualTo(AbortDrill.CONNECTIONS);
            assertThat(onLoop(drill::accepted)).isEqualTo(AbortDrill.CONNECTIONS + 1);

            held.removeFirst().close(); // a place frees: the next one is served
            deadline = System.nanoTime() + 10_000_000_000L;
            while (onLoop(drill::open) >= AbortDrill.CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            try (Socket next = new Socket(at.getAddress(), at.getPort())) {
                next.setSoTimeout(10_000);
                next.getOutputStream().write(
                        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readAll(next)).startsWith("HTTP/1.1 200 ").endsWith("pier warm-up\n");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** What the peer sends until it closes; a reset ends it like a close. */
    private static String readAll(Socket s) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
