package dev.pier.http.charset;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Recodes the body of each response announced by a {@link Start} marker piece by piece, as it streams (nginx's
 * charset body filter): nothing waits for the whole body. A complete in-memory response (error pages, {@code return})
 * is recoded at once and given its new Content-Length. The head was already rewritten by the header filter.
 */
final class RecodeHandler extends ChannelOutboundHandlerAdapter {
    /** The next response head on the channel is recoded with {@code recoder}. Consumed here, never written. */
    record Start(Recoder recoder) {
    }

    private Recoder pending;
    private Recoder current;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof Start start) {
            pending = start.recoder();
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse res && pending != null) {
            Recoder r = pending;
            pending = null;
            if (res instanceof FullHttpResponse full) {
                ctx.write(whole(ctx, full, r), promise);
            } else {
                current = r;
                ctx.write(res, promise);
            }
            return;
        }
        if (current != null && (msg instanceof HttpContent || msg instanceof ByteBuf)) {
            ByteBuf in = msg instanceof HttpContent c ? c.content() : (ByteBuf) msg;
            boolean last = msg instanceof LastHttpContent;
            ByteBuf out;
            try {
                out = current.recode(in, ctx.alloc(), last);
            } finally {
                in.release();
            }
            if (last) {
                current = null;
                ctx.write(new DefaultLastHttpContent(out, ((LastHttpContent) msg).trailingHeaders()), promise);
            } else {
                ctx.write(new DefaultHttpContent(out), promise);
            }
            return;
        }
        ctx.write(msg, promise);
    }

    private static FullHttpResponse whole(ChannelHandlerContext ctx, FullHttpResponse full, Recoder r) {
        ByteBuf out;
        try {
            out = r.recode(full.content(), ctx.alloc(), true);
        } finally {
            full.release();
        }
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(full.protocolVersion(), full.status(), out,
                full.headers(), full.trailingHeaders());
        // the whole body is at hand: its recoded length frames it, on HTTP/1.0 too
        res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, out.readableBytes());
        return res;
    }
}
