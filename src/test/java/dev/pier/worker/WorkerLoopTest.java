package dev.pier.worker;

import dev.pier.http.EventClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkerLoopTest {
    /**
     * Two connections whose bytes arrive while the loop is busy are read in its next turn: the second read answers
     * the first one's reading although the first took 20 ms, as nginx's events of one wake share its time.
     */
    @Test
    void readsInOneTurnOfAWorkersLoopShareOneClockReading() throws Exception {
        assumeTrue(Epoll.isAvailable());
        EventLoopGroup group = WorkerLoop.newGroup();
        List<Long> readings = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        CountDownLatch accepted = new CountDownLatch(2);
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted.countDown();
                            ctx.fireChannelActive();
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            try (var _ = EventClock.begin()) {
                                readings.add(EventClock.nanoTime());
                                sleep(20);
                            }
                            both.countDown();
                        }

                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
                assertThat(accepted.await(5, TimeUnit.SECONDS)).as("both accepted and registered").isTrue();
                CountDownLatch busy = new CountDownLatch(1);
                group.next().execute(() -> { // the loop is busy while both clients write
                    busy.countDown();
                    sleep(200);
                });
                busy.await();
                write(a);
                write(b);
                assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertThat(readings).hasSize(2);
        assertThat(readings.get(1)).isEqualTo(readings.get(0));
    }

    private static void write(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write('x');
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
