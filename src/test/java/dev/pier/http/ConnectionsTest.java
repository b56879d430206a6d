package dev.pier.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConnectionsTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().nest(prefix("/").ret(200, "ok")),
            "example.com"));

    @Test
    void whenNextOpenedRunsOnceForTheNextConnectionOrAtOnceIfOneIsOpen() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        conns.whenNextOpened(runs::incrementAndGet);
        assertThat(runs).as("nothing open: it waits").hasValue(0);
        assertThat(conns.reserve()).isTrue();
        assertThat(runs).as("the next connection runs it").hasValue(1);
        assertThat(conns.reserve()).isTrue();
        assertThat(runs).as("once only").hasValue(1);
        conns.whenNextOpened(runs::incrementAndGet);
        assertThat(runs).as("connections are open: at once").hasValue(2);
        conns.unreserve();
        conns.unreserve();
    }

    @Test
    void gracefulShutdownClosesIdleNowAndBusyAfterTheirResponse() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel idle = Wire.channel(RT, conns);
        roundTrip(idle, get("/"));
        EmbeddedChannel arriving = Wire.channel(RT, conns);
        roundTrip(arriving, get("/"));
        arriving.writeInbound(Unpooled.copiedBuffer("GET / HT", StandardCharsets.US_ASCII)); // next request arriving
        EmbeddedChannel fresh = Wire.channel(RT, conns); // accepted, nothing read yet
        assertThat(conns.open()).isEqualTo(3);

        conns.beginGracefulShutdown();
        idle.runPendingTasks();
        arriving.runPendingTasks();
        fresh.runPendingTasks();
        assertThat(idle.isOpen()).as("answered a moment ago: its next request may be on its way").isTrue();
        idle.advanceTimeBy(HttpConnection.SHUTDOWN_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        idle.runScheduledPendingTasks();
        assertThat(idle.isOpen()).as("nothing came within the grace").isFalse();
        assertThat(arriving.isOpen()).as("a request is arriving (Rule 6)").isTrue();
        assertThat(fresh.isOpen()).as("a just-accepted connection has its request coming").isTrue();
        assertThat(conns.allClosed()).isNotDone();

        String res = Wire.fragmented(arriving, "TP/1.1\r\nHost: a\r\n\r\n", 1000);
        assertThat(res).startsWith("HTTP/1.1 200 OK").contains("Connection: close\r\n");
        assertThat(arriving.isOpen()).isFalse();
        assertThat(roundTrip(fresh, get("/"))).contains("Connection: close\r\n");
        assertThat(fresh.isOpen()).isFalse();
        assertThat(conns.open()).isZero();
        assertThat(conns.allClosed()).isDone();
        for (EmbeddedChannel ch : new EmbeddedChannel[] {idle, arriving, fresh}) {
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void whatARequestLeftForTheCloseRunsAtTheCloseOnlyWhileItIsLeft() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel ch = Wire.channel(RT, conns);
        HttpConnection c = ((HttpRequestDispatcher) ch.pipeline().get("dispatcher")).connection();
        int[] runs = new int[3];
        Runnable taken = () -> runs[0]++;
        c.whenClosed(taken);
        c.notWhenClosed(taken);
        c.whenClosed(() -> runs[1]++);
        assertThat(runs).containsExactly(0, 0, 0);
        ch.close();
        assertThat(runs).containsExactly(0, 1, 0);
        c.whenClosed(() -> runs[2]++);
        assertThat(runs).as("closed already: at once").containsExactly(0, 1, 1);
        assertThat(conns.open()).isZero();

        EmbeddedChannel failing = Wire.channel(RT, conns);
        ((HttpRequestDispatcher) failing.pipeline().get("dispatcher")).connection().whenClosed(() -> {
            throw new IllegalStateException("a bug in what ran at the close");
        });
        failing.close();
        assertThat(conns.open()).as("the place is given back all the same").isZero();
    }

    @Test
    void aRequestOnAJustAnsweredConnectionAtShutdownIsServedWithClose() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel ch = Wire.channel(RT, conns);
        roundTrip(ch, get("/"));
        conns.beginGracefulShutdown();
        ch.runPendingTasks();
        ch.advanceTimeBy(HttpConnection.SHUTDOWN_GRACE_MILLIS / 2, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(roundTrip(ch, get("/"))).startsWith("HTTP/1.1 200 OK").contains("Connection: close\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(conns.allClosed()).isDone();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void anIdleConnectionIsClosedAtOnceWhenItsLastResponseIsOlderThanTheGrace() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel ch = Wire.channel(RT, conns);
        roundTrip(ch, get("/"));
        ch.advanceTimeBy(HttpConnection.SHUTDOWN_GRACE_MILLIS + 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        conns.beginGracefulShutdown();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestDuringShutdownIsAnsweredWithClose() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel ch = Wire.channel(RT, conns);
        conns.beginGracefulShutdown();
        ch.runPendingTasks();
        String res = roundTrip(ch, get("/") + get("/"));
        assertThat(res).containsOnlyOnce("HTTP/1.1 200").contains("Connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closeAllClosesEverything() {
        Connections conns = new Connections(10, Fixtures.QUIET);
        EmbeddedChannel a = Wire.channel(RT, conns);
        EmbeddedChannel b = Wire.channel(RT, conns);
        Wire.fragmented(b, "GET / HTTP/1.1\r\n", 100);
        conns.closeAll();
        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        assertThat(conns.allClosed()).isDone();
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }

    @Test
    void overWorkerConnectionsIsClosedImmediately() {
        Connections conns = new Connections(1, Fixtures.QUIET);
        EmbeddedChannel a = Wire.channel(RT, conns);
        EmbeddedChannel b = Wire.channel(RT, conns);
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isFalse();
        assertThat(conns.open()).isEqualTo(1);
        a.close();
        assertThat(conns.open()).isZero();
        EmbeddedChannel c = Wire.channel(RT, conns);
        assertThat(c.isOpen()).isTrue();
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
        assertFalse(c.finishAndReleaseAll());
    }
}
