package dev.pier.http.proxy;

import dev.pier.http.proxy.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A connection after {@code 101 Switching Protocols} (WebSocket): raw bytes both ways, each side read again only
 * when its previous chunk was written to the other, and both closed when either closes or the backend stays silent
 * for {@code proxy_read_timeout} (nginx's idle limit for upgraded connections).
 */
final class UpgradeRelay extends ChannelInboundHandlerAdapter implements UpstreamConnection.Listener {
    private final ProxyRequest req;
    private final UpstreamConnection backend;
    private final Channel client;
    private ScheduledFuture<?> idle;

    private UpgradeRelay(ProxyRequest req, UpstreamConnection backend) {
        this.req = req;
        this.backend = backend;
        this.client = req.client;
    }

    static void start(ProxyRequest req, UpstreamConnection backend, HttpResponse head) {
        UpgradeRelay r = new UpgradeRelay(req, backend);
        backend.listener(r);
        backend.channel().pipeline().remove(ResponseDecoder.class); // later bytes are not HTTP
        req.ex.switchProtocols(head, r).addListener(f -> {
            if (!f.isSuccess()) {
                r.closeBoth();
                return;
            }
            r.client.read();
            r.readBackend();
        });
    }

    private void readBackend() {
        if (idle != null) {
            idle.cancel(false);
        }
        long t = req.readTimeoutMillis();
        if (t > 0) {
            idle = client.eventLoop().schedule(() -> {
                req.ex.log().error("upstream timed out (110: Connection timed out) while proxying upgraded "
                        + "connection" + req.context());
                closeBoth();
            }, t, TimeUnit.MILLISECONDS);
        }
        backend.channel().read();
    }

    // client → backend
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            client.read();
            return;
        }
        backend.channel().writeAndFlush(b).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                client.read();
            } else {
                closeBoth();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeBoth();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBoth();
    }

    // backend → client
    @Override
    public void read(UpstreamConnection c, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg); // the codec's empty last content after the 101 head
            return;
        }
        client.writeAndFlush(b).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                readBackend();
            } else {
                closeBoth();
            }
        });
    }

    @Override
    public void readComplete(UpstreamConnection c) {
    }

    @Override
    public void inactive(UpstreamConnection c) {
        closeBoth();
    }

    @Override
    public void exception(UpstreamConnection c, Throwable cause) {
        closeBoth();
    }

    private void closeBoth() {
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
        backend.close();
        if (client.isActive()) {
            client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
