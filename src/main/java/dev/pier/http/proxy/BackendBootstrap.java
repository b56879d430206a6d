package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.PierSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;

import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Opens a backend connection on the client connection's own event loop (no thread hop, no lock), with the same
 * transport, auto-read off (the proxy reads on demand), {@code proxy_connect_timeout} and a response head limit of
 * {@code proxy_buffer_size} (a larger head is "upstream sent invalid header", nginx's "too big header"). The pipeline is the
 * {@link ResponseDecoder} (requests go out encoded already) and the {@link UpstreamConnection}. A {@code unix:} peer goes over a Unix domain stream
 * socket (epoll's domain socket channel, or NIO's on the NIO transport used by some tests). For an
 * {@code https://} backend an {@link io.netty.handler.ssl.SslHandler} comes first in the pipeline.
 */
final class BackendBootstrap {
    private BackendBootstrap() {
    }

    /**
     * A connection that could not be made ready, as nginx reports it: the {@code proxy_next_upstream} condition,
     * the message and what was going on ("connecting to upstream", "SSL handshaking to upstream").
     */
    static final class Failure extends Exception {
        final dev.pier.config.bind.ProxyConf.NextUpstream kind;
        final String during;

        Failure(dev.pier.config.bind.ProxyConf.NextUpstream kind, String message, String during) {
            super(message, null, false, false);
            this.kind = kind;
            this.during = during;
        }
    }

    /**
     * Connects and, with {@code tls}, completes the TLS handshake within the same {@code proxy_connect_timeout}
     * (as nginx times its SSL handshake): the future succeeds once a request may be written, or fails with a
     * {@link Failure}.
     */
    static io.netty.util.concurrent.Future<Void> open(Channel client, UpstreamConnection conn, SocketAddress address,
                                                      int timeoutMillis, int maxHeader,
                                                      java.util.function.Supplier<io.netty.handler.ssl.SslHandler> tls) {
        io.netty.util.concurrent.Promise<Void> ready = client.eventLoop().newPromise();
        connect(client, conn, address, timeoutMillis, maxHeader, tls == null ? null : () -> {
            io.netty.handler.ssl.SslHandler h = tls.get();
            h.setHandshakeTimeoutMillis(Math.max(1, timeoutMillis));
            return h;
        }).addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                boolean timeout = c instanceof io.netty.channel.ConnectTimeoutException;
                ready.tryFailure(new Failure(timeout ? NextUpstream.TIMEOUT : NextUpstream.ERROR, timeout
                        ? "upstream timed out (110: Connection timed out)" : "connect() failed (" + Errno.describe(c)
                        + ")", "connecting to upstream"));
                return;
            }
            if (tls == null) {
                ready.trySuccess(null);
                return;
            }
            done.channel().read(); // auto-read is off: the handshake needs the server's flights
            done.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    ready.trySuccess(null);
                } else if (h.cause() instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
                    ready.tryFailure(new Failure(NextUpstream.TIMEOUT, "upstream timed out (110: Connection timed "
                            + "out)", "SSL handshaking to upstream"));
                } else {
                    ready.tryFailure(new Failure(NextUpstream.ERROR, UpstreamTls.handshakeError(h.cause()),
                            "SSL handshaking to upstream"));
                }
            });
        });
        return ready;
    }

    /** Whether {@code client} runs on an epoll event loop, where backend channels must be epoll ones too. */
    static boolean onEpoll(Channel client) {
        return client instanceof PierSocketChannel || client instanceof EpollSocketChannel
                || client instanceof EpollDomainSocketChannel;
    }

    static ChannelFuture connect(Channel client, UpstreamConnection conn, SocketAddress address, int timeoutMillis,
                                 int maxHeader, java.util.function.Supplier<io.netty.handler.ssl.SslHandler> tls) {
        boolean epoll = onEpoll(client);
        boolean unix = address instanceof UnixDomainSocketAddress;
        Class<? extends Channel> type = unix
                ? epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class
                : epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        SocketAddress remote = unix && epoll
                ? new DomainSocketAddress(((UnixDomainSocketAddress) address).getPath().toString()) : address;
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channel(type)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, timeoutMillis))
                .option(ChannelOption.ALLOCATOR, client.alloc());
        if (!unix) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        return b
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("ssl", tls.get());
                        }
                        ch.pipeline().addLast("codec", new ResponseDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(maxHeader).setMaxHeaderSize(maxHeader)
                                .setMaxChunkSize(65536)));
                        ch.pipeline().addLast("upstream", conn);
                    }
                })
                .connect(remote);
    }
}
