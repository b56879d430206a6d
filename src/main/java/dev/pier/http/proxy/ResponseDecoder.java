package dev.pier.http.proxy;

import dev.pier.http.EventClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a backend's responses. A head of the common shape is read by Pier's {@link ResponseHeadParser} and a body
 * with a {@code Content-Length} is cut into pieces here; chunked and close-delimited bodies are framed by Netty's
 * response decoder (this class's superclass), taken up from a head that carries only the framing, and any other
 * head is Netty's whole, so its rules (informational answers, {@code 101}, limits, invalid heads) apply as they
 * did. Told by {@link RequestSender} whether the request it answers was a {@code HEAD} (whose final response has no
 * body whatever its framing says), which is what Netty's client codec kept a method queue for: one request is in
 * flight per connection at a time. Requests go out already encoded ({@link RequestHead#encode},
 * {@link RequestFraming}), so no encoder sits in the pipeline.
 */
final class ResponseDecoder extends HttpResponseDecoder {
    private enum State { HEAD, FIXED, NETTY }

    private static final byte[] CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNFRAMED_HEAD = "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ResponseHeadParser parser;
    private final int maxChunk;
    private State state = State.HEAD;
    private long remaining;
    private boolean headRequest;
    /** A {@code 101} was read: what follows is not HTTP. */
    private boolean switched;

    ResponseDecoder(HttpDecoderConfig config) {
        super(config);
        this.parser = new ResponseHeadParser(Math.min(config.getMaxInitialLineLength(), config.getMaxHeaderSize()));
        this.maxChunk = config.getMaxChunkSize();
    }

    /** The decoder of a backend connection: the pipeline's first handler, unless TLS sits before it. */
    static ResponseDecoder of(Channel ch) {
        return ch.pipeline().first() instanceof ResponseDecoder d ? d : ch.pipeline().get(ResponseDecoder.class);
    }

    /** The request about to be sent is a {@code HEAD} (or not). */
    void expect(boolean headRequest) {
        this.headRequest = headRequest;
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
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (headRequest && ((HttpResponse) msg).status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        switch (state) {
            case HEAD -> head(ctx, in, out);
            case FIXED -> fixed(in, out);
            case NETTY -> netty(ctx, in, out);
        }
    }

    private void head(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int length = parser.parse(in);
        if (length == ResponseHeadParser.MORE) {
            return;
        }
        if (length == ResponseHeadParser.OTHER) {
            state = State.NETTY;
            netty(ctx, in, out);
            return;
        }
        in.skipBytes(length);
        ParsedResponse res = parser.response();
        out.add(res);
        if (isContentAlwaysEmpty(res)) {
            if (res.chunked()) {
                res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // as Netty does for a body that never comes
                res.unchunk();
            }
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (res.contentLength() == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (res.contentLength() > 0) {
            remaining = res.contentLength();
            state = State.FIXED;
            fixed(in, out);
        } else {
            // Netty frames the body from a head with only its framing; its response stands in for ours and is dropped
            int mark = out.size();
            ByteBuf framing = Unpooled.wrappedBuffer(res.chunked() ? CHUNKED_HEAD : UNFRAMED_HEAD);
            super.decode(ctx, framing, out);
            out.remove(mark);
            state = State.NETTY;
            netty(ctx, in, out);
        }
    }

    /** A piece of a {@code Content-Length} body, at most {@code maxChunkSize}; the last one ends the response. */
    private void fixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxChunk), remaining);
        if (n == 0) {
            return;
        }
        ByteBuf piece = in.readRetainedSlice(n);
        remaining -= n;
        if (remaining == 0) {
            // a Content-Length body has no trailers: no map for them (Netty's constructor makes one per response)
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            state = State.HEAD;
        } else {
            out.add(new DefaultHttpContent(piece));
        }
    }

    /**
     * Netty's decoder on its own until the response it frames ends well. After a failed message Netty drops all that
     * follows, and after a {@code 101} it passes the bytes on as they are: both stay Netty's.
     */
    private void netty(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpResponse res && res.status().code() == 101) {
                switched = true;
            }
            if (o instanceof LastHttpContent last && !last.decoderResult().isFailure() && !switched) {
                state = State.HEAD;
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        switch (state) {
            // closed before Content-Length bytes came (what came was passed on already): no end is made, Netty
            // makes none either; the connection's close tells the request
            case FIXED -> state = State.HEAD;
            case HEAD -> {
                if (in.isReadable()) {
                    state = State.NETTY; // part of a head: what Netty makes of it, as before
                }
                super.decodeLast(ctx, in, out);
            }
            case NETTY -> super.decodeLast(ctx, in, out);
        }
    }
}
