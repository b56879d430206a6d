package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.UpstreamConf;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import static dev.pier.http.proxy.Front.pass;
import static dev.pier.http.proxy.Front.server;
import static dev.pier.http.proxy.Front.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A streamed body ({@code proxy_request_buffering off}) small enough to keep is sent again, whole, to the next
 * server when the first one breaks after taking it ({@code proxy_next_upstream error}).
 */
class ProxyBodyReplayTest {
    @BeforeAll
    static void epoll() {
        assumeTrue(Epoll.isAvailable(), "native epoll");
    }

    @Test
    void aSmallStreamedBodyIsResentWholeToTheNextServer() throws Exception {
        try (ServerSocket breaking = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             Backend good = new Backend("good")) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = breaking.accept(); InputStream in = s.getInputStream()) {
                    in.readNBytes(200); // part of the request, then the connection breaks without an answer
                    Thread.sleep(300);
                } catch (Exception e) {
                    // closed
                }
            });
            UpstreamConf up = upstream("u", new UpstreamConf.Balancing.RoundRobin(), UpstreamConf.Keepalive.NONE,
                    server(breaking.getLocalPort(), 1), server(good));
            Map<String, ProxyConf> locs = Map.of("/", pass(up, "u", 80, null, "/", c -> c.requestBuffering(false)));
            try (Front f = new Front(locs)) {
                String body = "x".repeat(1000);
                String res = Raw.exchange(f.port(), "PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000"
                        + "\r\nConnection: close\r\n\r\n" + body);
                assertThat(res).startsWith("HTTP/1.1 200").contains("good\n").contains("body=1000");
                assertThat(f.log()).contains("upstream prematurely closed connection");
            }
        }
    }
}
