package dev.pier.http.proxy;

import dev.pier.config.bind.UpstreamConf;
import dev.pier.http.proxy.upstream.KeepalivePool;
import dev.pier.http.proxy.upstream.Peer;
import dev.pier.http.proxy.upstream.Upstream;
import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each event loop has its own keep-alive pool, however the loops take turns asking for it; a graceful exit closes
 * them all.
 */
class UpstreamGroupTest {

    /** A group with {@code keepalive 8}. */
    private static UpstreamGroup pooled() throws Exception {
        return new UpstreamGroup(Front.upstream("b", new UpstreamConf.Balancing.RoundRobin(),
                new UpstreamConf.Keepalive(8, 100, Duration.ofSeconds(60), Duration.ofHours(1)), Front.server(1, 1)));
    }

    /** An open connection to {@code peer}, made now by the pools' clock. */
    private static UpstreamConnection open(Peer peer) {
        UpstreamConnection c = new UpstreamConnection(peer, Upstream.monotonicMillis().getAsLong());
        new EmbeddedChannel(c);
        return c;
    }

    @Test
    void eachLoopKeepsItsOwnPool() throws Exception {
        UpstreamGroup g = pooled();
        EventLoop a = new DefaultEventLoop();
        EventLoop b = new DefaultEventLoop();
        try {
            var poolA = g.pool(a);
            assertThat(g.pool(a)).isSameAs(poolA);
            var poolB = g.pool(b);
            assertThat(poolB).isNotNull().isNotSameAs(poolA);
            assertThat(g.pool(a)).isSameAs(poolA);
            assertThat(g.pool(b)).isSameAs(poolB);
        } finally {
            a.shutdownGracefully();
            b.shutdownGracefully();
        }
    }

    @Test
    void exitingClosesEachLoopsPoolOnItsLoopAndOneMadeAfter() throws Exception {
        UpstreamGroup g = pooled();
        Peer peer = Peer.of("127.0.0.1:1", new InetSocketAddress("127.0.0.1", 1), 1);
        EventLoop a = new DefaultEventLoop();
        EventLoop b = new DefaultEventLoop();
        try {
            KeepalivePool poolA = a.submit(() -> g.pool(a)).get();
            UpstreamConnection idle = open(peer);
            a.submit(() -> poolA.release(idle)).get();
            assertThat(idle.channel().isActive()).as("kept while the worker serves").isTrue();

            g.exiting();
            a.submit(() -> { }).get(); // runs after the close exiting() queued on the pool's loop
            assertThat(idle.channel().isActive()).as("idle when the worker began exiting").isFalse();

            KeepalivePool poolB = b.submit(() -> g.pool(b)).get();
            UpstreamConnection late = open(peer);
            b.submit(() -> poolB.release(late)).get();
            assertThat(late.channel().isActive()).as("a loop's first pool, made while exiting, keeps nothing")
                    .isFalse();
        } finally {
            a.shutdownGracefully();
            b.shutdownGracefully();
        }
    }

    @Test
    void exitingWithAPoolOnALoopThatHasStoppedIsNoError() throws Exception {
        UpstreamGroup g = pooled();
        EventLoop stopped = new DefaultEventLoop();
        stopped.submit(() -> g.pool(stopped)).get();
        stopped.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).sync();
        g.exiting(); // a worker's shutdown goes on: the stopped loop closed its channels
    }

    @Test
    void noKeepaliveNoPool() throws Exception {
        UpstreamGroup g = new UpstreamGroup(Front.implicit(1));
        EventLoop a = new DefaultEventLoop();
        try {
            assertThat(g.pool(a)).isNull();
        } finally {
            a.shutdownGracefully();
        }
    }
}
