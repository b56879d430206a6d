package dev.pier.http;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import dev.pier.os.AcceptQueues;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.PierServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's listening channel (exclusively watched, so never paused by turning auto-read off) taken off its loop and
 * put back: nothing is accepted during a pause and the connection that waited is accepted after it; two pauses in a
 * row or a channel closed during one end quietly.
 */
@org.junit.jupiter.api.Timeout(30)
class ListenerWatchTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger watched = new AtomicInteger();
    private ErrorLog log;
    private Path errorLog;
    private int fd;
    private Channel listener;

    @AfterEach
    void close() throws Exception {
        listener.close().sync();
        accepted.forEach(c -> c.unsafe().closeForcibly());
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        log.close();
        assertThat(Files.readString(errorLog)).as("the error log").isEmpty();
    }

    private void listen(Path dir) throws Exception {
        errorLog = dir.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.INFO), false);
        LinuxSocket s = LinuxSocket.newSocketStream(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.listen(16);
        fd = s.intValue();
        listener = new PierServerSocketChannel(fd);
        listener.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                accepted.add((Channel) msg);
            }
        });
        group.register(listener).sync();
    }

    private void pause(long millis) {
        listener.eventLoop().execute(() -> ListenerWatch.watchAgain(listener, millis, log, watched::incrementAndGet));
    }

    @Test
    void aConnectionWaitsInItsQueueDuringAPauseAndIsAcceptedAfterIt(@TempDir Path dir) throws Exception {
        listen(dir);
        assertThat(AcceptQueues.length(fd)).isZero(); // (and its first call's set-up is done)
        pause(1000);
        pause(1000); // asked twice: one registration comes back, nothing is logged
        Thread.sleep(50);
        try (Socket c = new Socket()) {
            c.connect(listener.localAddress());
            assertThat(accepted.poll(200, TimeUnit.MILLISECONDS)).as("accepted during the pause").isNull();
            assertThat(AcceptQueues.length(fd)).as("waiting in the accept queue").isEqualTo(1);
            assertThat(accepted.poll(5, TimeUnit.SECONDS)).as("accepted after the pause").isNotNull();
        }
        Thread.sleep(50);
        assertThat(watched.get()).as("registered again once").isEqualTo(1);
        assertThat(listener.isRegistered()).isTrue();

        pause(0); // at once, and it still accepts after
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (watched.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the pause runs on the loop: connect after it, not to the registration before it
        }
        try (Socket c = new Socket()) {
            c.connect(listener.localAddress());
            assertThat(accepted.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(watched.get()).isEqualTo(2);
    }

    @Test
    void aListenerClosedDuringAPauseStaysClosedAndUnregistered(@TempDir Path dir) throws Exception {
        listen(dir);
        pause(100);
        Thread.sleep(20);
        listener.close().sync();
        Thread.sleep(200);
        assertThat(listener.isRegistered()).isFalse();
        assertThat(watched.get()).isZero();
    }
}
