package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.socket.ServerSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;

import static io.netty.channel.unix.NativeInetAddress.address;

/**
 * Pier's code, in Netty's package: a worker's TCP listening channel, adopted from a descriptor the master opened, whose
 * accepted connections are {@link PierSocketChannel}s. Netty's {@link EpollServerSocketChannel} is final and builds
 * every accepted connection with seven system calls more than nginx makes for one; this class learns once, from the
 * listening socket, what every connection accepted from it inherits ({@code TCP_NODELAY}, {@code SO_LINGER}) and,
 * from its first connection, the send buffer size every later one starts with, so that a connection costs
 * {@code accept4}, one {@code getsockname} (Netty's socket asks its address family) and one {@code epoll_ctl} to
 * start. It only accepts: the master binds and listens ({@code dev.pier.os.ListenSockets}). Its epoll registration is
 * exclusive ({@link PierServerChannel}): its auto-read cannot be turned off.
 *
 * <p>Kept in Netty's package because the constructors it needs ({@link LinuxSocket}, the accepted-channel and config
 * constructors) are package-private there. Written against Netty 4.2.18; {@code PierSocketChannelTest} holds what
 * it relies on, so a Netty upgrade that changes it fails the build.
 */
public final class PierServerSocketChannel extends PierServerChannel implements ServerSocketChannel {
    private final boolean listenerNoDelay;
    private final int listenerLinger;
    /** Twice the first accepted connection's send buffer (Netty's gathering-write limit), 0 until then. */
    private long gatheringLimit;

    public PierServerSocketChannel(int fd) throws IOException {
        super(new LinuxSocket(fd));
        listenerNoDelay = socket.isTcpNoDelay();
        listenerLinger = socket.getSoLinger();
    }

    @Override
    protected Channel newChildChannel(int fd, byte[] remote, int offset, int len) throws Exception {
        LinuxSocket socket = new LinuxSocket(fd);
        if (!listenerNoDelay) {
            socket.setTcpNoDelay(true); // as Netty's own channel does for every connection
        }
        if (gatheringLimit == 0) {
            gatheringLimit = Math.max(1, (long) socket.getSendBufferSize() << 1);
        }
        return new PierSocketChannel(this, socket, address(remote, offset, len), listenerLinger, gatheringLimit);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }
}
