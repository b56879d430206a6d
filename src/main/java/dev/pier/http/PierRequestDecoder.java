package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Pier's own check of every request head ({@link RequestHeadScanner}: nginx's parsing rules, header limits,
 * request-smuggling defences), which also builds the request from what it checked. Netty's request decoder, made for
 * a connection's first request with a body, only frames bodies (fixed length and chunked), taken up from a head
 * holding just the framing header; a refused head becomes a failed request for the dispatcher to answer, and every byte after
 * it is discarded (the stream cannot be trusted any more). It also tells the connection when bytes of a new request
 * arrive and when a request ends with nothing buffered behind it, so graceful shutdown can tell an idle keep-alive
 * connection from a busy one.
 */
final class PierRequestDecoder extends ByteToMessageDecoder {
    private final HttpConnection conn;
    private final RequestHeadScanner head;
    private final HttpDecoderConfig config;
    /**
     * Netty's decoder, made for the connection's first request with a body (most connections send none): it is given
     * each body's framing head and then the body's bytes, never a request head.
     */
    private BodyFramer framer;
    private boolean inHead = true;
    private boolean broken;

    /** One per connection: answered here, not by Netty's per-class cache lookup on every {@code addLast}. */
    @Override
    public boolean isSharable() {
        return false;
    }

    PierRequestDecoder(HttpConnection conn, HttpDecoderConfig config, LimitsConf limits) {
        this.config = config;
        this.conn = conn;
        this.head = new RequestHeadScanner(limits);
    }

    /** The last configuration made, for the limits it was made for (every connection of a server asks for it). */
    private record Made(LimitsConf limits, HttpDecoderConfig config) {
    }

    private static volatile Made last;

    /**
     * Netty's limits sit above Pier's (a canonical head is never longer than the one checked). Its line buffer starts
     * small: it reads only the framing head and chunk-size lines, and it is made for every connection, most of which
     * send no body. Made once per {@code limits} in a row (Netty's decoder reads it only when it is built).
     */
    static HttpDecoderConfig config(LimitsConf limits) {
        Made m = last;
        if (m != null && m.limits == limits) {
            return m.config;
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 4096, limits.maxHeadBytes()) + 4096;
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(max)
                .setMaxHeaderSize(max)
                .setInitialBufferSize(16)
                .setMaxChunkSize(16384)
                .setValidateHeaders(false); // names and values were checked with nginx's rules already
        last = new Made(limits, config);
        return config;
    }

    /** The read and everything it sets off run on one clock reading ({@link EventClock}). */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try (var _ = EventClock.begin()) {
            super.channelRead(ctx, msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        try (var _ = EventClock.begin()) {
            super.channelReadComplete(ctx);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (broken) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (buffer.isReadable()) {
            conn.bytesArrived();
        }
        if (inHead) {
            decodeHead(ctx, buffer, out);
            return;
        }
        int before = out.size();
        framer.frame(ctx, buffer, out);
        afterDecode(buffer, out, before);
    }

    /**
     * The connection's input ended: what is left is decoded, and Netty's framer ends or fails a body cut short as it
     * would have in the pipeline.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (framer != null) {
            framer.last(ctx, out);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (framer != null) {
            framer.release();
        }
    }

    /** Whether Netty's decoder was made (for tests). */
    boolean framing() {
        return framer != null;
    }

    private void decodeHead(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (head.fresh()) {
            // empty lines before a request line are skipped, as nginx and RFC 9112 §2.2 allow
            while (buffer.isReadable() && (buffer.getByte(buffer.readerIndex()) == '\r'
                    || buffer.getByte(buffer.readerIndex()) == '\n')) {
                buffer.skipBytes(1);
            }
            if (!buffer.isReadable()) {
                conn.headIncomplete();
                return;
            }
        }
        switch (head.scan(buffer)) {
            case NEED_MORE -> conn.headIncomplete();
            case REJECTED -> {
                broken = true;
                buffer.skipBytes(buffer.readableBytes());
                out.add(refused(head));
                head.reset();
            }
            case DONE -> {
                List<String> dropped = head.dropped();
                for (int i = 0; i < dropped.size(); i++) { // no iterator for the usual empty list
                    conn.log().info(dropped.get(i) + " while reading client request headers, client: "
                            + conn.remoteAddr());
                }
                int length = head.length();
                HttpRequest request = head.request();
                boolean body = head.hasBody();
                ByteBuf framing = body ? head.framing(ctx.alloc()) : null;
                head.reset();
                buffer.skipBytes(length);
                int before = out.size();
                out.add(request);
                if (!body) {
                    out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                } else {
                    // Netty frames the body from a head that carries only the framing; its request stands in for
                    // ours and is dropped
                    int mark = out.size();
                    if (framer == null) {
                        framer = new BodyFramer(config);
                    }
                    try {
                        framer.frame(ctx, framing, out);
                    } finally {
                        framing.release();
                    }
                    out.remove(mark);
                    inHead = false;
                }
                afterDecode(buffer, out, before);
            }
        }
    }

    private void afterDecode(ByteBuf buffer, List<Object> out, int before) {
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
                broken = true; // a bad chunk: Netty discards the rest too
            }
            if (o instanceof LastHttpContent) {
                inHead = true;
            }
        }
        if (out.size() > before && out.getLast() instanceof LastHttpContent && !buffer.isReadable()) {
            conn.requestBoundary();
        }
    }

    /** A stand-in request carrying the refusal, with the request line when it was read. */
    private static HttpRequest refused(RequestHeadScanner head) {
        HttpRequest req;
        if (head.method() != null) {
            HttpVersion v;
            try {
                v = HttpVersion.valueOf(head.version());
            } catch (IllegalArgumentException e) {
                v = HttpVersion.HTTP_1_1;
            }
            req = new DefaultFullHttpRequest(v, HttpMethod.valueOf(head.method()), head.target());
        } else {
            req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        }
        req.setDecoderResult(DecoderResult.failure(head.rejection()));
        return req;
    }

    /** Netty's request decoder as a body framer: not in the pipeline, fed by the decoder it belongs to. */
    private static final class BodyFramer extends HttpRequestDecoder {
        BodyFramer(HttpDecoderConfig config) {
            super(config);
        }

        void frame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }

        /** The input ended (everything in it was framed already). */
        void last(ChannelHandlerContext ctx, List<Object> out) throws Exception {
            decodeLast(ctx, Unpooled.EMPTY_BUFFER, out);
        }

        /** Its line buffer goes back (the one thing it holds). */
        void release() throws Exception {
            handlerRemoved0(null);
        }
    }
}
