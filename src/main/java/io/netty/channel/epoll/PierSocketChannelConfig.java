package io.netty.channel.epoll;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.util.Map;

/**
 * The options of a {@link PierSocketChannel}: Netty's channel options, and the socket options Pier sets on a
 * connection ({@code SO_LINGER} 0 to reset it, {@code TCP_CORK} around a file sent with {@code tcp_nopush},
 * {@code TCP_NODELAY}). The linger time is remembered, starting from the listening socket's, so the close path reads
 * it without a system call; the others go to the socket. Half-closure is not allowed (Netty's default): a connection
 * whose peer shuts its side is closed. Reads are sized by the one {@link PierReadSizes} every connection shares (its
 * messages per read are therefore the same for all: 16, a stream channel's).
 */
public final class PierSocketChannelConfig extends EpollChannelConfig {
    private volatile int soLinger;

    PierSocketChannelConfig(PierSocketChannel channel, int soLinger, long gatheringLimit) {
        super(channel, PierReadSizes.INSTANCE);
        this.soLinger = soLinger;
        setMaxBytesPerGatheringWrite(gatheringLimit);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.SO_LINGER, ChannelOption.TCP_NODELAY,
                EpollChannelOption.TCP_CORK);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.SO_LINGER) {
            return (T) Integer.valueOf(getSoLinger());
        }
        if (option == ChannelOption.TCP_NODELAY) {
            return (T) Boolean.valueOf(isTcpNoDelay());
        }
        if (option == EpollChannelOption.TCP_CORK) {
            return (T) Boolean.valueOf(isTcpCork());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == ChannelOption.TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == EpollChannelOption.TCP_CORK) {
            setTcpCork((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** The linger time in seconds, -1 when lingering is off (the kernel's default). */
    public int getSoLinger() {
        return soLinger;
    }

    /** Sets {@code SO_LINGER}: off when negative, else on with this many seconds (0: close resets the connection). */
    public PierSocketChannelConfig setSoLinger(int seconds) {
        socketCall(() -> socket().setSoLinger(seconds));
        soLinger = seconds < 0 ? -1 : seconds;
        return this;
    }

    public boolean isTcpNoDelay() {
        return socketQuery(() -> socket().isTcpNoDelay());
    }

    public PierSocketChannelConfig setTcpNoDelay(boolean on) {
        socketCall(() -> socket().setTcpNoDelay(on));
        return this;
    }

    public boolean isTcpCork() {
        return socketQuery(() -> socket().isTcpCork());
    }

    public PierSocketChannelConfig setTcpCork(boolean on) {
        socketCall(() -> socket().setTcpCork(on));
        return this;
    }

    private interface SocketCall {
        void run() throws IOException;
    }

    private interface SocketQuery {
        boolean get() throws IOException;
    }

    /** A socket option's failure as Netty's configs report it. */
    private static void socketCall(SocketCall call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    private static boolean socketQuery(SocketQuery query) {
        try {
            return query.get();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }
}
