package dev.pier.http.proxy.dns;

import dev.pier.it.FakeDns;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsResolverTest {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void queryAndAnswerBytes() throws Exception {
        byte[] q = DnsMessage.query(0x1234, "app.test", DnsMessage.A);
        assertThat(DnsMessage.id(q)).isEqualTo(0x1234);
        // header (12) + 3"app" 4"test" 0 (10) + type, class (4)
        assertThat(q).hasSize(26);
        assertThatThrownBy(() -> DnsMessage.answer(q, DnsMessage.A)).hasMessage("not a response");
        assertThatThrownBy(() -> DnsMessage.answer(new byte[]{0, 1, (byte) 0x80}, DnsMessage.A))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolvesCachesAndReportsNginxErrors() throws Exception {
        try (FakeDns dns = new FakeDns(Map.of("app.test", "127.0.0.7"))) {
            DnsResolver r = new DnsResolver(List.of(new InetSocketAddress("127.0.0.1", dns.port())), -1, true, false,
                    2000);
            EventLoop loop = group.next();
            assertThat(get(r.resolve("app.test", loop, false))).containsExactly(InetAddress.getByName("127.0.0.7"));
            int asked = dns.queries();
            assertThat(get(r.resolve("app.test", loop, false))).hasSize(1);
            assertThat(dns.queries()).as("a second lookup within the TTL is cached").isEqualTo(asked);
            assertThatThrownBy(() -> get(r.resolve("nx.test", loop, false))).cause()
                    .isInstanceOf(DnsResolver.ResolveException.class)
                    .satisfies(e -> assertThat(((DnsResolver.ResolveException) e).describe())
                            .isEqualTo("3: Host not found"));
        }
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DnsResolver r = new DnsResolver(List.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort())), -1,
                    true, true, 300);
            assertThatThrownBy(() -> get(r.resolve("app.test", group.next(), false))).cause()
                    .satisfies(e -> assertThat(((DnsResolver.ResolveException) e).describe())
                            .isEqualTo("110: Operation timed out"));
        }
    }

    private static List<InetAddress> get(Future<List<InetAddress>> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }
}
