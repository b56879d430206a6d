package io.netty.channel.epoll;

import java.io.IOException;

/**
 * Pier's code, in Netty's package: a worker's listening channel, adopted from a descriptor the master opened (it only
 * accepts), whose epoll registration is exclusive ({@code EPOLLEXCLUSIVE}, Linux 4.5) as nginx registers a listening
 * socket every worker watches. A non-exclusive entry is woken for every new connection, so with two workers idle
 * both wake and one of them finds nothing to accept; an exclusive entry is queued behind the socket's other waiters
 * and a new connection wakes one worker that sleeps in {@code epoll_wait} (those busy meanwhile find the socket ready
 * when they next look).
 *
 * <p>Linux refuses to modify an exclusive entry ({@code EPOLL_CTL_MOD} fails with {@code EINVAL}), and Netty
 * registers a channel with its initial bits and then modifies it to add {@code EPOLLIN} when reading begins. So the
 * bits are set before each registration: {@code EPOLLIN} and {@code EPOLLEXCLUSIVE} beside Netty's {@code EPOLLERR},
 * which the registration then adds as they are, and reading's {@code EPOLLIN} is already there (no modification).
 * Auto-read cannot be turned off (that clears {@code EPOLLIN}, a modification, and Netty closes the channel when it
 * fails): its config refuses it. To stop watching the socket for a while, deregister the channel and register it
 * again ({@code dev.pier.http.ListenerWatch}).
 */
public abstract sealed class PierServerChannel extends AbstractEpollServerChannel
        permits PierServerSocketChannel, PierServerDomainSocketChannel {
    /** {@code EPOLLEXCLUSIVE} in Linux's {@code uapi/linux/eventpoll.h}; Netty's {@link Native} does not export it. */
    static final int EPOLLEXCLUSIVE = 1 << 28;

    private final EpollServerChannelConfig config = new Config(this);

    /** Adopts {@code socket}, listening already (active, as its socket has no error). */
    PierServerChannel(LinuxSocket socket) throws IOException {
        super(socket);
        watchExclusively();
    }

    @Override
    protected void doDeregister() throws Exception {
        super.doDeregister(); // Netty resets the bits to the channel's initial ones
        watchExclusively();
    }

    /**
     * Sets the bits the next registration adds: called while the channel is not registered, or after its
     * registration was cancelled, when nothing reaches the kernel.
     */
    private void watchExclusively() throws IOException {
        setFlag(Native.EPOLLIN | EPOLLEXCLUSIVE);
    }

    @Override
    public EpollServerChannelConfig config() {
        return config;
    }

    /** Netty's server channel config, refusing to turn auto-read off (see the class comment). */
    private static final class Config extends EpollServerChannelConfig {
        Config(PierServerChannel channel) {
            super(channel);
        }

        @Override
        public EpollServerChannelConfig setAutoRead(boolean autoRead) {
            if (!autoRead) {
                throw new UnsupportedOperationException("a listening channel's epoll registration is exclusive and "
                        + "cannot stop reading: deregister it instead");
            }
            return super.setAutoRead(true);
        }
    }
}
