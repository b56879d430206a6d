package dev.pier.http.proxy;

import dev.pier.config.bind.UpstreamConf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Each event loop has its own keep-alive pool, however the loops take turns asking for it. */
class UpstreamGroupTest {

    @Test
    void eachLoopKeepsItsOwnPool() throws Exception {
        UpstreamGroup g = new UpstreamGroup(Front.upstream("b", new UpstreamConf.Balancing.RoundRobin(),
                new UpstreamConf.Keepalive(8, 100, Duration.ofSeconds(60), Duration.ofHours(1)), Front.server(1, 1)));
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
