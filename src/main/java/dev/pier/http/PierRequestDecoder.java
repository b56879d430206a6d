package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Netty's request decoder that also tells the connection when bytes of a new request arrive and when a request ends
 * with nothing buffered behind it, so graceful shutdown can tell an idle keep-alive connection from a busy one.
 */
final class PierRequestDecoder extends HttpRequestDecoder {
    private final HttpConnection conn;

    PierRequestDecoder(HttpConnection conn, HttpDecoderConfig config) {
        super(config);
        this.conn = conn;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (buffer.isReadable()) {
            conn.bytesArrived();
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        if (out.size() > before && out.getLast() instanceof LastHttpContent && !buffer.isReadable()) {
            conn.requestBoundary();
        }
    }
}
