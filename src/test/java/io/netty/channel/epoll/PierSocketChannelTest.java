package io.netty.channel.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pier's accepted connections ({@link PierServerSocketChannel}, {@link PierSocketChannel}): what they take from the
 * listening socket instead of asking the kernel per connection, and that they still read, write and close as
 * Netty's own channel does. Also the Netty internals they rely on: a Netty upgrade that changes those fails here.
 */
@org.junit.jupiter.api.Timeout(30) // a client read that never returns fails the test instead of hanging the build
class PierSocketChannelTest {
    private EventLoopGroup group;
    private PierServerSocketChannel server;
    private final BlockingQueue<PierSocketChannel> accepted = new LinkedBlockingQueue<>();
    private final StringBuffer received = new StringBuffer();
    /** Runs on each accepted connection before it is registered (they are taken once registered). */
    private Consumer<PierSocketChannel> beforeRegistration = c -> { };

    /** Per read and per read's end, in order: "read " or "complete " and what drainedByThisRead() said then. */
    private final BlockingQueue<String> drained = new LinkedBlockingQueue<>();

    /** Per cancelled registration of an accepted connection: whether its descriptor was still open then. */
    private final BlockingQueue<Boolean> openAtCancel = new LinkedBlockingQueue<>();

    @BeforeEach
    void loop() {
        io.netty.channel.IoHandlerFactory epoll = EpollIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(1, executor -> new WatchedCancels(epoll.newHandler(executor)));
    }

    /** The epoll handler, telling {@link #openAtCancel} about each accepted connection's cancelled registration. */
    private final class WatchedCancels implements io.netty.channel.IoHandler {
        private final io.netty.channel.IoHandler epoll;

        WatchedCancels(io.netty.channel.IoHandler epoll) {
            this.epoll = epoll;
        }

        @Override
        public void initialize() {
            epoll.initialize();
        }

        @Override
        public int run(io.netty.channel.IoHandlerContext context) {
            return epoll.run(context);
        }

        @Override
        public void prepareToDestroy() {
            epoll.prepareToDestroy();
        }

        @Override
        public void destroy() {
            epoll.destroy();
        }

        @Override
        public io.netty.channel.IoRegistration register(io.netty.channel.IoHandle handle) throws Exception {
            io.netty.channel.IoRegistration r = epoll.register(handle);
            if (!(handle instanceof PierSocketChannel.EpollStreamUnsafe u)) {
                return r;
            }
            return new io.netty.channel.IoRegistration() {
                @Override
                public <T> T attachment() {
                    return r.attachment();
                }

                @Override
                public long submit(io.netty.channel.IoOps ops) {
                    return r.submit(ops);
                }

                @Override
                public boolean isValid() {
                    return r.isValid();
                }

                @Override
                public boolean cancel() {
                    openAtCancel.add(u.fd().isOpen());
                    return r.cancel();
                }
            };
        }

        @Override
        public void wakeup() {
            epoll.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends io.netty.channel.IoHandle> handleType) {
            return epoll.isCompatible(handleType);
        }
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** A listening socket on a loopback ephemeral port, set up by {@code options}, adopted as the worker adopts one. */
    private int listen(SocketSetup options) throws Exception {
        LinuxSocket s = LinuxSocket.newSocketStream(false);
        options.apply(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.listen(16);
        server = new PierServerSocketChannel(s.intValue());
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                PierSocketChannel child = (PierSocketChannel) msg;
                child.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object m) {
                        ByteBuf b = (ByteBuf) m;
                        drained.add("read " + child.drainedByThisRead());
                        received.append(b.toString(StandardCharsets.US_ASCII));
                        c.writeAndFlush(b); // echoed
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext c) {
                        drained.add("complete " + child.drainedByThisRead());
                    }
                });
                beforeRegistration.accept(child);
                ctx.channel().eventLoop().register(child).addListener(f -> accepted.add(child));
            }
        });
        group.register(server).sync();
        return server.localAddress().getPort();
    }

    private interface SocketSetup {
        void apply(LinuxSocket s) throws Exception;
    }

    private PierSocketChannel take() throws InterruptedException {
        PierSocketChannel c = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(c).as("an accepted connection").isNotNull();
        return c;
    }

    private static String readEcho(Socket client, int n) throws Exception {
        client.setSoTimeout(5000);
        return new String(client.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static <T> T onLoop(Channel ch, java.util.concurrent.Callable<T> what) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                f.complete(what.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAcceptedConnectionKnowsItsAddressesItsListenerAndAnIdOfItsOwn() throws Exception {
        int port = listen(s -> { });
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel first = take();
            PierSocketChannel second = take();
            assertThat(first.remoteAddress()).isEqualTo(a.getLocalSocketAddress());
            assertThat(first.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(first.parent()).isSameAs(server);
            assertThat(first.isActive()).isTrue();
            assertThat(first.id()).isNotEqualTo(second.id());
            assertThat(first.id().compareTo(second.id())).isNegative();
            assertThat(first.id().asShortText()).isNotEqualTo(second.id().asShortText());
        }
    }

    @Test
    void itIsAddedToEpollWatchingForInputAndReadsWhatCameBeforeItsRegistration() throws Exception {
        boolean[] watching = new boolean[1];
        beforeRegistration = c -> watching[0] = c.isFlagSet(Native.EPOLLIN);
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(client, 5)).isEqualTo("early");
            take();
        }
        assertThat(watching[0]).isTrue();
    }

    @Test
    void withAutoReadOffBeforeItsRegistrationItReadsOnlyWhenAsked() throws Exception {
        beforeRegistration = c -> c.config().setAutoRead(false);
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            client.getOutputStream().write("later".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300);
            assertThat(received.toString()).isEmpty();
            assertThat(onLoop(child, () -> child.isFlagSet(Native.EPOLLIN))).isFalse();
            child.read();
            assertThat(readEcho(client, 5)).isEqualTo("later");
        }
    }

    @Test
    void tcpNoDelayIsInheritedFromTheListener() throws Exception {
        int port = listen(s -> s.setTcpNoDelay(true));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(child.config().isTcpNoDelay()).isTrue();
            assertThat(child.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
        }
    }

    @Test
    void tcpNoDelayIsSetOnAConnectionWhoseListenerLacksIt() throws Exception {
        int port = listen(s -> s.setTcpNoDelay(false));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(take().socket.isTcpNoDelay()).isTrue();
        }
    }

    @Test
    void theLingerTimeIsTheListenersAndASetOneReachesTheSocket() throws Exception {
        int port = listen(s -> s.setSoLinger(5));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(child.socket.getSoLinger()).isEqualTo(5); // what the kernel gave the connection
            assertThat(child.config().getSoLinger()).isEqualTo(5);
            child.config().setOption(ChannelOption.SO_LINGER, -1);
            assertThat(child.socket.getSoLinger()).isEqualTo(-1);
            assertThat(child.config().getOption(ChannelOption.SO_LINGER)).isEqualTo(-1);
        }
    }

    @Test
    void aLingerTimeOfZeroResetsTheConnectionOnClose() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(child.config().getSoLinger()).isEqualTo(-1); // the default: off
            client.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(client, 1)).isEqualTo("x");
            child.config().setSoLinger(0);
            assertThat(child.socket.getSoLinger()).isZero();
            child.close().sync();
            client.setSoTimeout(5000);
            InputStream in = client.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void aPositiveLingerTimeClosesOffTheEventLoop() throws Exception {
        int port = listen(s -> s.setSoLinger(1));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(onLoop(child, () -> ((PierSocketChannel.EpollStreamUnsafe) child.unsafe()).prepareToClose()))
                    .isSameAs(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
            child.close().sync();
            assertThat(client.getInputStream().read()).isEqualTo(-1); // closed in order
        }
    }

    @Test
    void closingOnTheLoopClosesTheDescriptorBeforeItLeavesEpoll() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            client.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(client, 1)).isEqualTo("x");
            child.close().sync();
            assertThat(openAtCancel.poll(5, TimeUnit.SECONDS)).as("open when its registration was cancelled").isFalse();
            assertThat(client.getInputStream().read()).isEqualTo(-1); // an orderly close all the same
        }
        try (Socket again = new Socket(InetAddress.getLoopbackAddress(), port)) { // the loop goes on accepting
            again.getOutputStream().write("y".getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(again, 1)).isEqualTo("y");
        }
    }

    @Test
    void withALingerTimeTheRegistrationIsCancelledWhileTheDescriptorIsOpen() throws Exception {
        int port = listen(s -> s.setSoLinger(1));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            take().close().sync();
            assertThat(openAtCancel.poll(5, TimeUnit.SECONDS)).isTrue(); // Netty's order: the close blocks off the loop
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aDeregisteredConnectionStaysOpen() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            child.deregister().sync();
            assertThat(openAtCancel.poll(5, TimeUnit.SECONDS)).isTrue();
            assertThat(child.isOpen()).isTrue();
            child.close().sync();
        }
    }

    @Test
    void corkIsASocketOption() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(child.config().setOption(EpollChannelOption.TCP_CORK, true)).isTrue();
            assertThat(child.socket.isTcpCork()).isTrue();
            assertThat(child.config().getOption(EpollChannelOption.TCP_CORK)).isTrue();
            child.config().setOption(EpollChannelOption.TCP_CORK, false);
            assertThat(child.socket.isTcpCork()).isFalse();
        }
    }

    @Test
    void theGatheringWriteLimitIsTwiceTheFirstConnectionsSendBuffer() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            assertThat(child.config().getMaxBytesPerGatheringWrite())
                    .isEqualTo(2L * child.socket.getSendBufferSize());
        }
    }

    @Test
    void everyConnectionSizesItsReadsWithTheSharedLadderAndGrowsThemForABigUpload() throws Exception {
        int port = listen(s -> { });
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel first = take();
            PierSocketChannel second = take();
            assertThat((Object) first.config().getRecvByteBufAllocator()).isSameAs(PierReadSizes.INSTANCE);
            assertThat((Object) second.config().getRecvByteBufAllocator()).isSameAs(PierReadSizes.INSTANCE);
            assertThat(first.config().getMaxMessagesPerRead()).isEqualTo(16);
            String upload = "x".repeat(256 * 1024);
            a.getOutputStream().write(upload.getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(a, upload.length())).isEqualTo(upload);
            assertThat(onLoop(first, () -> first.unsafe().recvBufAllocHandle().guess())).isGreaterThan(2048);
            assertThat(onLoop(second, () -> second.unsafe().recvBufAllocHandle().guess())).isEqualTo(2048);
        }
    }

    @Test
    void anInputEventThatEndsOnAShortReadHasDrainedTheSocketUntilItEnds() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.getOutputStream().write("small".getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(client, 5)).isEqualTo("small");
            PierSocketChannel child = take();
            assertThat(drained.poll(5, TimeUnit.SECONDS)).isEqualTo("read true");
            assertThat(drained.poll(5, TimeUnit.SECONDS)).isEqualTo("complete true");
            assertThat(onLoop(child, child::drainedByThisRead)).as("outside its input event").isFalse();

            drained.clear();
            String big = "y".repeat(64 * 1024);
            client.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
            assertThat(readEcho(client, big.length())).isEqualTo(big);
            assertThat(drained.poll(5, TimeUnit.SECONDS)).as("a read that filled its 2 KiB buffer")
                    .isEqualTo("read false");
        }
    }

    @Test
    void aConnectionCorkedUntilItsCloseSendsWhatWasWrittenWithItsEnd() throws Exception {
        int port = listen(s -> { });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PierSocketChannel child = take();
            onLoop(child, () -> {
                child.corkUntilClose();
                return null;
            });
            assertThat(onLoop(child, () -> child.socket.isTcpCork())).isTrue();
            onLoop(child, () -> child.writeAndFlush(child.alloc().buffer().writeBytes(
                    "last answer".getBytes(StandardCharsets.US_ASCII))).addListener(f -> child.close()));
            client.setSoTimeout(5000);
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("last answer");
            child.closeFuture().await(5, TimeUnit.SECONDS);
            onLoop(child, () -> {
                child.corkUntilClose(); // closed: nothing to cork, and no exception
                return null;
            });
        }
    }
}
