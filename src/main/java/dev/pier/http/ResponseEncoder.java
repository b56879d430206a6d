package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.internal.StringUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The handler next to the socket: Netty's response encoder, except for an {@link Encoded} head: bytes Pier already
 * wrote in HTTP/1.1 form ({@link FullHead}, {@link StreamHead}), which go on as they are. The encoder is between two
 * messages whenever one arrives, so its state is not disturbed; and the bytes travel the pipeline as any message
 * does, so the handlers between the dispatcher and the encoder keep them in order.
 *
 * <p>The body of a streamed head written that way is framed here until its {@link LastHttpContent}, as Netty's
 * encoder frames the body of a head it wrote: as it is ({@code Content-Length}, or closed by the connection's end),
 * or in chunks ({@code Transfer-Encoding: chunked}, with the last chunk's trailer lines).
 *
 * <p>Everything it passes on goes through the connection's {@link SendTimeout}, which it tells of every flush; after
 * a protocol switch ({@link #relayRaw}) it passes the relay's bytes on as they are, still timed.
 */
final class ResponseEncoder extends HttpResponseEncoder {
    private static final byte[] CRLF = {'\r', '\n'};

    /** How the body after an {@link Encoded} head is sent. */
    enum Body {
        /** None follows: the bytes are a whole response. */
        NONE,
        /** Each piece as it is. */
        RAW,
        /** Each piece as a chunk. */
        CHUNKED
    }

    /** A head (with a whole response's body, or followed by {@link #then}'s pieces), already encoded. */
    static final class Encoded extends DefaultByteBufHolder {
        final Body then;

        Encoded(ByteBuf bytes) {
            this(bytes, Body.NONE);
        }

        Encoded(ByteBuf bytes, Body then) {
            super(bytes);
            this.then = then;
        }
    }

    /** The body being framed here; NONE between responses, and while Netty's encoder frames one. */
    private Body body = Body.NONE;
    /**
     * A head sent as it is ({@link Body#RAW}, no promise to keep) that waits for its body's first piece: a piece of
     * at most {@link FullHead#MERGED_BODY} bytes goes out in the same buffer, so a small proxied response is one
     * write down the pipeline and one buffer for the socket, not two. A flush, a larger piece or any other part
     * sends the head on its own first. Only a raw body's head is held, so a chunked body never meets one.
     */
    private ByteBuf heldHead;
    /** The connection's send timeout, which sees every message passed on; none in tests of the bytes alone. */
    private final SendTimeout timeout;
    /** After a protocol switch: bytes are relayed as they are. */
    private boolean raw;
    /** What Netty's encoder made of one message, made when first needed; empty between messages. */
    private List<Object> parts;

    ResponseEncoder(SendTimeout timeout) {
        this.timeout = timeout;
    }

    /** Without a send timeout: for tests of the bytes alone. */
    ResponseEncoder() {
        this(null);
    }

    /** The connection switched protocols: from now on messages are bytes of the relay, passed on as they are. */
    void relayRaw() {
        raw = true;
    }

    /** One per connection: answered here, not by Netty's per-class cache lookup on every {@code addLast}. */
    @Override
    public boolean isSharable() {
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.added(ctx);
        }
        super.handlerAdded(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (raw) {
            pass(ctx, msg, promise);
            return;
        }
        if (body != Body.NONE) {
            bodyPart(ctx, msg, promise);
            return;
        }
        if (msg instanceof Encoded e) {
            body = e.then;
            if (body == Body.RAW && promise.isVoid()) {
                heldHead = e.content();
                return;
            }
            pass(ctx, e.content(), promise);
            return;
        }
        encodeAndPass(ctx, msg, promise);
    }

    /**
     * What Netty's encoder writes, passed on through the send timeout: its {@code write}, whose own writes would go
     * to the socket unseen, with its {@code encode}, failures and promises as it has them.
     */
    private void encodeAndPass(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!acceptOutboundMessage(msg)) {
            pass(ctx, msg, promise);
            return;
        }
        List<Object> out = parts == null ? parts = new ArrayList<>(4) : parts;
        if (!out.isEmpty()) {
            out = new ArrayList<>(4); // written from inside one of its parts' writes (a listener): its own list
        }
        try {
            encode(ctx, msg, out);
            if (out.isEmpty()) {
                throw new EncoderException(StringUtil.simpleClassName(this) + " must produce at least one message.");
            }
        } catch (EncoderException e) {
            throw e;
        } catch (Throwable t) {
            throw new EncoderException(t);
        } finally {
            passAll(ctx, out, promise);
        }
    }

    private void passAll(ChannelHandlerContext ctx, List<Object> out, ChannelPromise promise) {
        try {
            int n = out.size();
            if (n == 1) {
                pass(ctx, out.get(0), promise);
            } else if (n > 1) {
                PromiseCombiner all = promise.isVoid() ? null : new PromiseCombiner(ctx.executor());
                for (int i = 0; i < n; i++) {
                    part(ctx, out.get(i), all, promise);
                }
                if (all != null) {
                    all.finish(promise);
                }
            }
        } finally {
            out.clear();
        }
    }

    /** {@code msg} on to the socket, seen by the send timeout. */
    private void pass(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (timeout != null) {
            timeout.write(msg, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        sendHeldHead(ctx);
        ctx.flush();
        if (timeout != null) {
            timeout.flushed();
        }
    }

    /** Not flushed, the head would be dropped by the close as any unflushed write is: it is dropped here. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        dropHeldHead();
        if (timeout != null) {
            timeout.cancel();
        }
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        dropHeldHead();
        if (timeout != null) {
            timeout.cancel();
        }
        super.handlerRemoved(ctx);
    }

    private void dropHeldHead() {
        if (heldHead != null) {
            heldHead.release();
            heldHead = null;
        }
    }

    private void sendHeldHead(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            ByteBuf head = heldHead;
            heldHead = null;
            pass(ctx, head, ctx.voidPromise());
        }
    }

    /**
     * {@code b} as the next write of a raw body: copied behind the held head, in one buffer, when it is small enough
     * ({@code b} is released); otherwise after the held head, which goes alone. With no head held, {@code b} itself.
     */
    private ByteBuf behindHeldHead(ChannelHandlerContext ctx, ByteBuf b) {
        ByteBuf head = heldHead;
        if (head == null) {
            return b;
        }
        heldHead = null;
        if (b.readableBytes() > FullHead.MERGED_BODY) {
            pass(ctx, head, ctx.voidPromise());
            return b;
        }
        head.writeBytes(b);
        b.release();
        return head;
    }

    private void bodyPart(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // a whole response is an HttpContent too: a head inside the body is unexpected
        if (msg instanceof HttpContent c && !(msg instanceof HttpMessage)) {
            boolean last = c instanceof LastHttpContent;
            HttpHeaders trailers = last ? ((LastHttpContent) c).trailingHeaders() : null;
            ByteBuf content = c.content();
            if (body == Body.RAW) {
                pass(ctx, behindHeldHead(ctx, content.isReadable() ? content.retain() : Unpooled.EMPTY_BUFFER),
                        promise);
            } else {
                chunk(ctx, content.isReadable() ? content.retain() : null, content.readableBytes(), trailers, promise);
            }
            c.release();
            if (last) {
                body = Body.NONE;
            }
        } else if (msg instanceof ByteBuf b) {
            if (body == Body.RAW || !b.isReadable()) {
                pass(ctx, behindHeldHead(ctx, b), promise);
            } else {
                chunk(ctx, b, b.readableBytes(), null, promise);
            }
        } else if (msg instanceof FileRegion r) {
            sendHeldHead(ctx);
            if (r.count() == 0) {
                r.release();
                pass(ctx, Unpooled.EMPTY_BUFFER, promise);
            } else if (body == Body.RAW) {
                pass(ctx, r, promise);
            } else {
                chunk(ctx, r, r.count(), null, promise);
            }
        } else {
            throw unexpected(msg);
        }
    }

    private static EncoderException unexpected(Object msg) {
        ReferenceCountUtil.release(msg);
        return new EncoderException(new IllegalStateException("unexpected message type: "
                + msg.getClass().getSimpleName() + " inside a streamed body"));
    }

    /**
     * One chunk: its length in hex, the data, CRLF; then, with {@code trailers} (the last piece), the last chunk and
     * its trailer lines. Netty's framing, byte for byte, and as Netty does, a real promise completes when every part
     * is written.
     */
    private void chunk(ChannelHandlerContext ctx, Object data, long length, HttpHeaders trailers,
                              ChannelPromise promise) {
        if (data == null) {
            pass(ctx, trailers == null ? Unpooled.EMPTY_BUFFER : lastChunk(ctx, trailers), promise);
            return;
        }
        PromiseCombiner all = promise.isVoid() ? null : new PromiseCombiner(ctx.executor());
        String hex = Long.toHexString(length);
        ByteBuf size = ctx.alloc().buffer(hex.length() + 2);
        size.writeCharSequence(hex, StandardCharsets.US_ASCII);
        size.writeBytes(CRLF);
        part(ctx, size, all, promise);
        part(ctx, data, all, promise);
        part(ctx, Unpooled.wrappedBuffer(CRLF), all, promise);
        if (trailers != null) {
            part(ctx, lastChunk(ctx, trailers), all, promise);
        }
        if (all != null) {
            all.finish(promise);
        }
    }

    private void part(ChannelHandlerContext ctx, Object msg, PromiseCombiner all, ChannelPromise voidPromise) {
        if (all == null) {
            pass(ctx, msg, voidPromise);
        } else {
            ChannelPromise p = ctx.newPromise();
            all.add(p);
            pass(ctx, msg, p);
        }
    }

    /** {@code 0} CRLF, the trailer lines (each ending in CRLF), CRLF. */
    private static ByteBuf lastChunk(ChannelHandlerContext ctx, HttpHeaders trailers) {
        HeadScratch end = HeadScratch.start().put('0');
        for (var it = trailers.iteratorCharSequence(); it.hasNext(); ) {
            var e = it.next();
            end.line(e.getKey(), e.getValue()); // CRLF first: the line before it ends
        }
        return end.bytes(HeadBytes.END).copy(ctx.alloc(), 0);
    }
}
