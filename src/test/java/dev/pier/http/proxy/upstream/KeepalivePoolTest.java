package dev.pier.http.proxy.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.pier.http.proxy.upstream.Peers.peer;
import static org.assertj.core.api.Assertions.assertThat;

class KeepalivePoolTest {
    private final Peers.Clock clock = new Peers.Clock();
    private final Peer a = peer(8001, 1);
    private final Peer b = peer(8002, 1);

    private UpstreamConnection conn(Peer p) {
        UpstreamConnection c = new UpstreamConnection(p, clock.now);
        new EmbeddedChannel(c);
        return c;
    }

    private KeepalivePool pool(int capacity) {
        return new KeepalivePool(capacity, 100, 60_000, 3_600_000, clock);
    }

    @Test
    void reusesAnIdleConnectionToTheSamePeerOnly() {
        KeepalivePool pool = pool(4);
        UpstreamConnection c = conn(a);
        c.requestSent();
        pool.release(c);
        assertThat(pool.acquire(b)).isNull();
        assertThat(pool.acquire(a)).isSameAs(c);
        assertThat(pool.acquire(a)).isNull();
        assertThat(c.channel().isActive()).isTrue();
    }

    @Test
    void tlsConnectionsArePooledApartFromPlainOnesAndPerKey() {
        KeepalivePool pool = pool(4);
        UpstreamConnection plain = conn(a);
        UpstreamConnection tls = new UpstreamConnection(a, clock.now, java.util.List.of("tls", "backend.test"));
        new EmbeddedChannel(tls);
        pool.release(plain);
        pool.release(tls);
        assertThat(pool.acquire(a, java.util.List.of("tls", "other.test"))).as("verified for another name").isNull();
        assertThat(pool.acquire(a, java.util.List.of("tls", "backend.test"))).isSameAs(tls);
        assertThat(pool.acquire(a, java.util.List.of("tls", "backend.test"))).isNull();
        assertThat(pool.acquire(a)).as("a plain request never gets a TLS connection").isSameAs(plain);
    }

    @Test
    void idleConnectionClosesAfterKeepaliveTimeout() {
        KeepalivePool pool = pool(4);
        UpstreamConnection c = conn(a);
        pool.release(c);
        EmbeddedChannel ch = (EmbeddedChannel) c.channel();
        ch.advanceTimeBy(59, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isFalse();
        assertThat(pool.size()).isZero();
        assertThat(pool.acquire(a)).isNull();
    }

    @Test
    void eachReleaseStartsTheIdleTimeoutAgainAndAReusedConnectionHasNone() {
        KeepalivePool pool = pool(4);
        UpstreamConnection c = conn(a);
        EmbeddedChannel ch = (EmbeddedChannel) c.channel();
        pool.release(c);
        ch.advanceTimeBy(50, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(pool.acquire(a)).isSameAs(c);
        ch.advanceTimeBy(30, TimeUnit.SECONDS); // in use: no idle timeout runs
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isTrue();
        pool.release(c);
        ch.advanceTimeBy(59, TimeUnit.SECONDS); // 139 s after the first release, 59 s after this one
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void leastRecentlyUsedIsClosedWhenFull() {
        KeepalivePool pool = pool(2);
        UpstreamConnection c1 = conn(a);
        UpstreamConnection c2 = conn(a);
        UpstreamConnection c3 = conn(b);
        pool.release(c1);
        pool.release(c2);
        pool.release(c3);
        assertThat(c1.channel().isActive()).isFalse();
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.acquire(a)).isSameAs(c2);
        assertThat(pool.acquire(b)).isSameAs(c3);
    }

    @Test
    void keepaliveRequestsAndTimeEndAConnection() {
        KeepalivePool pool = new KeepalivePool(4, 2, 60_000, 10_000, clock);
        UpstreamConnection used = conn(a);
        used.requestSent();
        used.requestSent();
        pool.release(used);
        assertThat(used.channel().isActive()).isFalse();
        UpstreamConnection old = conn(a);
        clock.now += 10_000;
        pool.release(old);
        assertThat(old.channel().isActive()).isFalse();
        assertThat(pool.size()).isZero();
    }

    @Test
    void strayBytesOrPeerCloseWhileIdleDropTheConnection() {
        KeepalivePool pool = pool(4);
        UpstreamConnection c1 = conn(a);
        UpstreamConnection c2 = conn(a);
        pool.release(c1);
        pool.release(c2);
        ((EmbeddedChannel) c1.channel()).writeInbound(Unpooled.wrappedBuffer(new byte[]{'x'}));
        assertThat(c1.channel().isActive()).isFalse();
        c2.channel().close();
        assertThat(pool.size()).isZero();
        assertThat(pool.acquire(a)).isNull();
        assertThat(((EmbeddedChannel) c1.channel()).finishAndReleaseAll()).isFalse();
    }

    @Test
    void closeEndsEveryIdleConnectionAndKeepsNoneReleasedAfter() {
        KeepalivePool pool = pool(4);
        UpstreamConnection idle = conn(a);
        UpstreamConnection busy = conn(b);
        pool.release(idle);
        pool.close();
        assertThat(idle.channel().isActive()).as("idle when the worker began exiting").isFalse();
        assertThat(pool.size()).isZero();
        pool.release(busy);
        assertThat(busy.channel().isActive()).as("released while exiting: its request was the last").isFalse();
        assertThat(pool.size()).isZero();
        assertThat(pool.acquire(b)).isNull();
    }
}
