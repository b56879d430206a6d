package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;

/**
 * Writes one piece of a request body to the backend as the head declared it: as it is under
 * {@code Content-Length}, or as a chunk under {@code Transfer-Encoding: chunked}, the last piece followed by the
 * zero-size chunk. Trailers of the client's chunked body are not sent (nginx drops them too).
 */
final class RequestFraming {
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(new byte[] {'\r', '\n'})).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();

    private RequestFraming() {
    }

    /** Writes and flushes {@code piece} (its content's reference passes to the channel); the future is the last write's. */
    static ChannelFuture write(Channel backend, HttpContent piece, boolean chunked) {
        ByteBuf data = piece.content();
        boolean last = piece instanceof LastHttpContent;
        if (!chunked) {
            return backend.writeAndFlush(data);
        }
        int size = data.readableBytes();
        if (size > 0) {
            ByteBuf sizeLine = backend.alloc().directBuffer(10);
            sizeLine.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
            sizeLine.writeShort(('\r' << 8) | '\n');
            backend.write(sizeLine); // a failed write fails the ones after it too, whose future is returned
            backend.write(data);
            if (!last) {
                return backend.writeAndFlush(CRLF.duplicate());
            }
            backend.write(CRLF.duplicate());
        } else {
            data.release();
        }
        return backend.writeAndFlush(last ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER);
    }
}
