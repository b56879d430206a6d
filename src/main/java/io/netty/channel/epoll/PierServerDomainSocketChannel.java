package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.channel.unix.Socket;

import java.io.IOException;

/**
 * Pier's code, in Netty's package: a worker's Unix domain listening channel, adopted from a descriptor the master
 * opened, whose epoll registration is exclusive as {@link PierServerSocketChannel}'s is ({@link PierServerChannel};
 * its auto-read cannot be turned off). Netty's {@link EpollServerDomainSocketChannel} is final; its accepted connections are
 * Netty's own {@link EpollDomainSocketChannel}s here too, whose constructor is package-private. It only accepts: it
 * never binds, so closing it leaves the socket's file to the master (as Netty's adopted channel does).
 */
public final class PierServerDomainSocketChannel extends PierServerChannel implements ServerDomainSocketChannel {
    public PierServerDomainSocketChannel(int fd) throws IOException {
        super(new LinuxSocket(fd));
    }

    @Override
    protected Channel newChildChannel(int fd, byte[] addr, int offset, int len) throws Exception {
        return new EpollDomainSocketChannel(this, new Socket(fd));
    }

    @Override
    protected DomainSocketAddress localAddress0() {
        return null; // never bound here, as Netty's channel adopted from a descriptor says
    }

    @Override
    public DomainSocketAddress remoteAddress() {
        return (DomainSocketAddress) super.remoteAddress();
    }

    @Override
    public DomainSocketAddress localAddress() {
        return (DomainSocketAddress) super.localAddress();
    }
}
