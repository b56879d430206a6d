package dev.pier.http;

import dev.pier.log.ErrorLog;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.PierServerSocketChannel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A worker's serving path in the test's JVM: one epoll event loop and a loopback listener adopted as a worker's. */
final class LoopServer {
    private LoopServer() {
    }

    /** What a test does with a server's port. */
    interface Client {
        void run(int port) throws Exception;
    }

    /**
     * Runs {@code client} against a server of the configuration {@code conf} (its {@code http} block, as the file
     * {@code dir/pier.conf}), logging to {@code log}, then waits until the server has no connection left.
     */
    static void serve(String conf, Path dir, ErrorLog log, Client client) throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        HttpRuntime rt = Fixtures.compile(conf, dir, log);
        Connections conns = new Connections(8, log);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            client.run(listen(group, new HttpAcceptor(rt, 0, conns, log)));
            awaitOpen(conns, 0);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    /** A loopback listener adopted as a worker adopts the master's (Pier's accepted-connection channel); its port. */
    static int listen(EventLoopGroup group, HttpAcceptor acceptor) throws Exception {
        LinuxSocket s = LinuxSocket.newSocketStream(false);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        s.listen(64);
        Channel listener = new PierServerSocketChannel(s.intValue());
        listener.pipeline().addLast(acceptor);
        group.register(listener).sync();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Waits up to 5 s for {@code conns} to have {@code n} open connections, and asserts it. */
    static void awaitOpen(Connections conns, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (conns.open() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(conns.open()).isEqualTo(n);
    }
}
