package io.netty.channel.epoll;

import io.netty.channel.ChannelId;
import io.netty.channel.socket.ServerSocketChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pier's code, in Netty's package: a connection accepted by {@link PierServerSocketChannel}, the same stream channel
 * as Netty's {@link EpollSocketChannel} (reads, gathering writes, {@code sendfile} of file regions, half-closing)
 * without the system calls that one makes for every connection and Pier does not need:
 * <ul>
 *   <li>its local address is asked of the kernel ({@code getsockname}) only when someone reads it;</li>
 *   <li>{@code TCP_NODELAY} and {@code SO_LINGER} come from the listening socket, which every accepted socket
 *       inherits them from, and {@code SO_LINGER} is then known to the config, so closing does not ask for it;</li>
 *   <li>the gathering-write limit is the listener's first connection's ({@link PierServerSocketChannel});</li>
 *   <li>it is added to epoll already watching for input, as the pipeline starts reading at once (Netty adds it
 *       without, then modifies it), unless auto-read is switched off before it is registered;</li>
 *   <li>its {@link ChannelId} is a serial number, not Netty's 28 random, clock and process bytes;</li>
 *   <li>closing it closes the descriptor first, which takes it out of epoll without an {@code epoll_ctl};</li>
 *   <li>it tells whether the input event being handled drained the socket ({@link #drainedByThisRead()}), so the
 *       lingering-close decision needs no {@code ioctl(FIONREAD)} then;</li>
 *   <li>a last response's bytes and the FIN that closes the connection can share a segment
 *       ({@link #corkUntilClose()}).</li>
 * </ul>
 */
public final class PierSocketChannel extends AbstractEpollStreamChannel {
    private static final AtomicLong SERIAL = new AtomicLong();

    private final PierServerSocketChannel parent;
    private final InetSocketAddress remote;
    private final PierSocketChannelConfig config;
    private volatile SocketAddress local;
    /** Set while the event loop handles this channel's input event (its reads and their pipeline events). */
    private boolean inReadEvent;

    PierSocketChannel(PierServerSocketChannel parent, LinuxSocket fd, InetSocketAddress remote, int soLinger,
                      long gatheringLimit) throws java.io.IOException {
        super(fd, false); // not "active": Netty's active constructors ask the kernel for both addresses
        this.parent = parent;
        this.remote = remote;
        this.config = new PierSocketChannelConfig(this, soLinger, gatheringLimit);
        active = true;
        setFlag(Native.EPOLLIN); // not registered yet: only the flags the registration will add with
    }

    @Override
    protected ChannelId newId() {
        return new SerialId(SERIAL.incrementAndGet());
    }

    @Override
    public ServerSocketChannel parent() {
        return parent;
    }

    @Override
    public PierSocketChannelConfig config() {
        return config;
    }

    @Override
    protected SocketAddress localAddress0() {
        SocketAddress a = local;
        if (a == null && socket.isOpen()) {
            a = socket.localAddress();
            local = a;
        }
        return a;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    /**
     * Closing on the event loop, the descriptor is closed before the registration is cancelled: the kernel drops a
     * closed descriptor from epoll by itself, and Netty's registration then skips its {@code EPOLL_CTL_DEL} (nginx's
     * {@code NGX_CLOSE_EVENT}). Netty closes only after deregistering. Not with a linger time above 0, whose close
     * blocks and runs off the loop ({@link PierUnsafe#prepareToClose()}), and not for a plain deregistration of an
     * open channel ({@code active} turns false only when the channel closes).
     */
    @Override
    protected void doDeregister() throws Exception {
        if (!isActive() && socket.isOpen() && config.getSoLinger() <= 0 && eventLoop().inEventLoop()) {
            socket.close();
        }
        super.doDeregister();
    }

    /**
     * Whether the input event being handled now ended its reads on a short one: the receive queue was empty then
     * (nginx's {@code rev->ready} cleared). On the event loop only; {@code false} outside this channel's input event,
     * when bytes may have arrived unread since, and after a read that filled its buffer or stopped early (auto-read
     * switched off, the messages-per-read limit).
     */
    public boolean drainedByThisRead() {
        if (!inReadEvent) {
            return false;
        }
        var h = unsafe().recvBufAllocHandle();
        return h.lastBytesRead() < ((io.netty.channel.RecvByteBufAllocator.ExtendedHandle) h).attemptedBytesRead();
    }

    /**
     * The response being written is the connection's last: cork the socket ({@code TCP_CORK}) so that what is
     * written from now on waits for the close or the half-close, whose FIN then leaves in the same segment as the
     * response's last bytes (the kernel adds the FIN to a segment not yet sent, and sends it at once whatever the
     * cork) instead of in a packet of its own that both ends would handle. Full segments still leave as they fill.
     * Only for a response that is followed by a close as soon as the socket has taken it: until then its last
     * partial segment waits (at most the kernel's 200 ms). Does nothing on a closed socket.
     */
    public void corkUntilClose() {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.setTcpCork(true);
        } catch (java.io.IOException e) {
            // the connection failed meanwhile: its close comes anyway, and nothing waits for a FIN to carry it
        }
    }

    @Override
    protected AbstractEpollUnsafe newUnsafe() {
        return new PierUnsafe();
    }

    private final class PierUnsafe extends EpollStreamUnsafe {
        @Override
        void epollInReady() {
            inReadEvent = true;
            try {
                super.epollInReady();
            } finally {
                inReadEvent = false;
            }
        }

        /**
         * As Netty's: a linger time above 0 makes close() block, so the channel leaves the loop and closes on
         * another thread; the time is the config's, not asked of the kernel.
         */
        @Override
        protected Executor prepareToClose() {
            if (isOpen() && config.getSoLinger() > 0) {
                registration().cancel();
                return io.netty.util.concurrent.GlobalEventExecutor.INSTANCE;
            }
            return null;
        }
    }

    /** A connection's {@link ChannelId}: a serial number within the process. */
    record SerialId(long serial) implements ChannelId {
        @Override
        public String asShortText() {
            return Long.toHexString(serial);
        }

        @Override
        public String asLongText() {
            return asShortText();
        }

        @Override
        public int compareTo(ChannelId o) {
            return o instanceof SerialId s ? Long.compare(serial, s.serial) : asLongText().compareTo(o.asLongText());
        }

        @Override
        public String toString() {
            return asShortText();
        }
    }
}
