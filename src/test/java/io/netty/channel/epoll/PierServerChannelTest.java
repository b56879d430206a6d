package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A worker's listening channels register exclusively ({@link PierServerChannel}), read from the kernel's own account
 * of the event loop's epoll set ({@code /proc/self/fdinfo}), and keep doing so when registered again; they accept
 * all the while, and refuse to stop reading. An exclusive entry cannot be modified, so this also fails if Netty
 * ever modifies one.
 */
@org.junit.jupiter.api.Timeout(30)
class PierServerChannelTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private final List<Channel> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(s -> s.close().syncUninterruptibly());
        accepted.forEach(c -> c.unsafe().closeForcibly());
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Test
    void aTcpListenerIsWatchedExclusivelyAndStaysSoWhenRegisteredAgain() throws Exception {
        LinuxSocket s = LinuxSocket.newSocketStream(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.listen(16);
        InetSocketAddress at = (InetSocketAddress) s.localAddress();
        Channel server = watch(new PierServerSocketChannel(s.intValue()));

        checkWatchedExclusively(server, () -> SocketChannel.open(at));
    }

    @Test
    void aUnixListenerIsWatchedExclusivelyAndAcceptsWhenAdopted(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("l.sock");
        LinuxSocket s = LinuxSocket.newSocketDomain();
        s.bind(new DomainSocketAddress(path.toString()));
        s.listen(16);
        Channel server = watch(new PierServerDomainSocketChannel(s.intValue()));

        checkWatchedExclusively(server, () -> SocketChannel.open(UnixDomainSocketAddress.of(path)));
        server.close().sync();
        assertThat(path).as("the socket's file is the master's to remove").exists();
    }

    private interface Client {
        SocketChannel connect() throws IOException;
    }

    private void checkWatchedExclusively(Channel server, Client client) throws Exception {
        int fd = ((AbstractEpollChannel) server).socket.intValue();
        int wanted = PierServerChannel.EPOLLEXCLUSIVE | Native.EPOLLIN;
        assertThat(events(fd)).as("its epoll entry").isPresent();
        assertThat(events(fd).getAsLong() & wanted).as("EPOLLEXCLUSIVE and EPOLLIN").isEqualTo(wanted);
        acceptOne(client);

        server.deregister().sync();
        assertThat(events(fd)).as("not watched while deregistered").isEmpty();
        group.next().register(server).sync();
        assertThat(events(fd)).as("its epoll entry when registered again").isPresent();
        assertThat(events(fd).getAsLong() & wanted).as("EPOLLEXCLUSIVE and EPOLLIN").isEqualTo(wanted);
        acceptOne(client);
        assertThat(server.isOpen()).isTrue();

        // stopping reading would modify the exclusive entry, which Linux refuses and Netty answers by closing it
        assertThatThrownBy(() -> server.config().setAutoRead(false))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(server.config().isAutoRead()).isTrue();
        acceptOne(client);
        assertThat(server.isOpen()).isTrue();
    }

    private void acceptOne(Client client) throws Exception {
        try (SocketChannel c = client.connect()) {
            Channel child = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(child).as("an accepted connection").isNotNull();
            child.unsafe().closeForcibly();
            assertThat(c.read(ByteBuffer.allocate(1))).as("closed by the server").isEqualTo(-1);
        }
    }

    private Channel watch(AbstractEpollServerChannel server) throws InterruptedException {
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                accepted.add((Channel) msg);
            }
        });
        servers.add(server);
        return group.register(server).sync().channel();
    }

    /** The events mask of {@code fd}'s entry in this process's epoll sets, as the kernel reports it. */
    private static OptionalLong events(int fd) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (!target.equals("anon_inode:[eventpoll]")) {
                    continue;
                }
                for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(p.getFileName()))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4 && f[0].equals("tfd:") && Integer.parseInt(f[1]) == fd) {
                        return OptionalLong.of(Long.parseLong(f[3], 16));
                    }
                }
            }
        }
        return OptionalLong.empty();
    }
}
