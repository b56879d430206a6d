package dev.pier.worker;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.PierServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
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
 * Two event loops watch one listening socket (two workers' copies of it, each adopted as a worker adopts one) and
 * re-register it after every accept while clients connect: every connection must still be accepted, by both, and
 * closing the socket must end the rotation quietly.
 */
class AcceptRotationTest {

    @Test
    void everyConnectionIsAcceptedWhileBothWatchersRotate(@TempDir Path dir) throws Exception {
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.WARN), false);
        AtomicInteger acceptedA = new AtomicInteger();
        AtomicInteger acceptedB = new AtomicInteger();
        EventLoopGroup g1 = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup g2 = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        int fd = listeningSocket();
        try {
            int port = ListenSockets.localPort(fd);
            AcceptRotation ra = new AcceptRotation(log, 1);
            AcceptRotation rb = new AcceptRotation(log, 1);
            Channel a = watch(g1, new PierServerSocketChannel(fd), ra, acceptedA);
            Channel b = watch(g2, new PierServerSocketChannel(Fds.dup(fd)), rb, acceptedB);

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
            assertThat(acceptedA.get() + acceptedB.get()).isEqualTo(2 * perClient);
            // each took a share: the one registered first would take nearly all without the rotation
            assertThat(acceptedA.get()).as("the first watcher's connections").isGreaterThan(2 * perClient / 10);
            assertThat(acceptedB.get()).as("the second watcher's connections").isGreaterThan(2 * perClient / 10);
            // once per accept (each wake-up accepts one), the last one perhaps still under way
            awaitRotations(a, ra, acceptedA.get());
            awaitRotations(b, rb, acceptedB.get());

            a.close().sync();
            b.close().sync();
        } finally {
            g1.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
            g2.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
            log.close();
        }
        assertThat(Files.readString(dir.resolve("error.log"))).as("the error log").isEmpty();
    }

    @Test
    void aWatcherRotatesOnceEveryGivenNumberOfAccepts(@TempDir Path dir) throws Exception {
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.WARN), false);
        AtomicInteger accepted = new AtomicInteger();
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        int fd = listeningSocket();
        try {
            int port = ListenSockets.localPort(fd);
            PierServerSocketChannel ch = new PierServerSocketChannel(fd);
            AcceptRotation r = new AcceptRotation(log, 4);
            watch(g, ch, r, accepted);
            for (int i = 0; i < 10; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    s.setSoTimeout(5000);
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                }
            }
            assertThat(rotations(ch, r)).as("after the 4th and the 8th of 10 accepts").isEqualTo(2);
            assertThat(ch.eventLoop().submit(ch::isRegistered).get()).isTrue();
            ch.close().sync();
        } finally {
            g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
            log.close();
        }
        assertThat(Files.readString(dir.resolve("error.log"))).as("the error log").isEmpty();
    }

    private static int listeningSocket() throws Exception {
        LinuxSocket s = LinuxSocket.newSocketStream(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.listen(128);
        Fds.setNonBlocking(s.intValue());
        return s.intValue();
    }

    private static Channel watch(EventLoopGroup g, PierServerSocketChannel ch, AcceptRotation r, AtomicInteger accepted)
            throws InterruptedException {
        // as a worker sets up a shared socket: one accept per wake-up
        ch.config().setRecvByteBufAllocator(new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1));
        ch.pipeline().addLast(r, new CloseAtOnce(accepted));
        return g.register(ch).sync().channel();
    }

    /** Counts and closes each accepted connection. */
    @ChannelHandler.Sharable
    private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
        private final AtomicInteger accepted;

        CloseAtOnce(AtomicInteger accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            accepted.incrementAndGet();
            ((Channel) msg).unsafe().closeForcibly();
        }
    }

    private static long rotations(Channel ch, AcceptRotation r) throws Exception {
        return ch.eventLoop().submit(r::rotations).get();
    }

    private static void awaitRotations(Channel ch, AcceptRotation r, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rotations(ch, r) < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(rotations(ch, r)).as("re-registrations").isEqualTo(expected);
    }
}
