package dev.pier.worker;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import dev.pier.os.Fds;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two event loops watch one listening socket (two workers' copies of it) and re-register it every millisecond while
 * clients connect: every connection must still be accepted, and closing the socket must end the rotation quietly.
 */
class AcceptRotationTest {

    @Test
    void everyConnectionIsAcceptedWhileBothWatchersRotate(@TempDir Path dir) throws Exception {
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.WARN), false);
        AtomicInteger accepted = new AtomicInteger();
        EventLoopGroup g1 = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup g2 = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel a = serve(g1, new EpollServerSocketChannel(), accepted)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) a.localAddress()).getPort();
            int fd = ((EpollServerSocketChannel) a).fd().intValue();
            Channel b = serve(g2, new EpollServerSocketChannel(Fds.dup(fd)), accepted).register().sync().channel();
            AcceptRotation ra = AcceptRotation.start(a, log, () -> 1);
            AcceptRotation rb = AcceptRotation.start(b, log, () -> 1);

            int perClient = 1000;
            List<Thread> clients = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            for (int t = 0; t < 2; t++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perClient; i++) {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                            s.setSoTimeout(5000);
                            if (s.getInputStream().read() == -1) { // closed by whichever watcher accepted it
                                answered.incrementAndGet();
                            }
                        } catch (Exception e) {
                            return; // counted as missing below
                        }
                    }
                }));
            }
            for (Thread c : clients) {
                c.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(answered.get()).as("connections accepted and closed by a watcher").isEqualTo(2 * perClient);
            assertThat(accepted.get()).isEqualTo(2 * perClient);
            assertThat(rotations(a, ra)).as("the first watcher re-registered").isGreaterThan(20);
            assertThat(rotations(b, rb)).as("the second watcher re-registered").isGreaterThan(20);

            // closing ends the rotation: no more re-registrations, nothing logged
            a.close().sync();
            b.close().sync();
            Thread.sleep(30);
            long endA = ra.rotations();
            long endB = rb.rotations();
            Thread.sleep(30);
            assertThat(ra.rotations()).isEqualTo(endA);
            assertThat(rb.rotations()).isEqualTo(endB);
        } finally {
            g1.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
            g2.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
            log.close();
        }
        assertThat(Files.readString(dir.resolve("error.log"))).as("the error log").isEmpty();
    }

    private static ServerBootstrap serve(EventLoopGroup g, EpollServerSocketChannel ch, AtomicInteger accepted) {
        return new ServerBootstrap().group(g).channelFactory(() -> ch).childHandler(new CloseAtOnce(accepted));
    }

    /** Counts and closes each accepted connection. */
    @ChannelHandler.Sharable
    private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
        private final AtomicInteger accepted;

        CloseAtOnce(AtomicInteger accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            ctx.close();
        }
    }

    private static long rotations(Channel ch, AcceptRotation r) throws Exception {
        return ch.eventLoop().submit(r::rotations).get();
    }
}
