package dev.pier.http;

import dev.pier.config.bind.LocationConf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * While an exchange is taken over (the proxy's way), the client is read only as far as is safe: a request without a
 * body leaves reading on (no epoll_ctl pair per request), a request with one, or a pipelined request queued behind
 * the current one, turns it off until nothing is queued or in flight; the queue is answered in order. A streamed
 * head that cannot be written closes the connection.
 */
class TakenOverReadingTest {
    /** Takes every request over and answers only when the test says so; a body is read to its end first. */
    static final class Held implements HttpModule {
        final ArrayDeque<Exchange> waiting = new ArrayDeque<>();

        @Override
        public Optional<PhaseHandler> content(LocationConf loc) {
            return Optional.of(ex -> {
                ex.takeOver(new ExchangeListener() {
                    @Override
                    public void content(HttpContent piece) {
                        boolean last = piece instanceof LastHttpContent;
                        piece.release();
                        if (!last) {
                            ex.channel().read();
                        }
                    }

                    @Override
                    public void bodyRejected() {
                    }
                });
                waiting.add(ex);
                ex.channel().read();
                return PhaseResult.DONE;
            });
        }

        /** Answers the oldest held exchange the way the proxy does: a streamed head, then the last piece. */
        void answerNext() {
            Exchange ex = waiting.poll();
            byte[] body = ex.uri().getBytes(StandardCharsets.US_ASCII);
            DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ex.sendHead(res);
            ex.finishResponse(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
        }
    }

    private static EmbeddedChannel channel(Held held) throws Exception {
        List<HttpModule> modules = new ArrayList<>(StandardModules.list());
        modules.addFirst(held);
        return Wire.channel(HttpRuntime.compile(Fixtures.http(serverConf(server(), "example.com")), Fixtures.QUIET,
                modules));
    }

    private static void send(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aBodilessRequestKeepsReadingAndAQueuedOneStopsItUntilItsTurn() throws Exception {
        Held held = new Held();
        EmbeddedChannel ch = channel(held);
        send(ch, Wire.get("/a"));
        assertThat(held.waiting).hasSize(1);
        assertThat(ch.config().isAutoRead()).as("no body: the client stays read").isTrue();
        send(ch, Wire.get("/b")); // pipelined behind /a
        assertThat(held.waiting).hasSize(1);
        assertThat(ch.config().isAutoRead()).as("a queued request stops reading").isFalse();
        held.answerNext();
        ch.runPendingTasks(); // the queue drains: /b is taken over in turn, still without reading the client
        assertThat(held.waiting).hasSize(1);
        assertThat(ch.config().isAutoRead()).isFalse();
        held.answerNext();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("nothing queued or in flight: reading resumes").isTrue();
        String wire = Wire.drain(ch);
        assertThat(wire.indexOf("\r\n\r\n/a")).isPositive().isLessThan(wire.indexOf("\r\n\r\n/b"));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aRequestWithABodyIsReadAtTheListenersPace() throws Exception {
        Held held = new Held();
        EmbeddedChannel ch = channel(held);
        send(ch, "POST /p HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\n");
        assertThat(held.waiting).hasSize(1);
        assertThat(ch.config().isAutoRead()).isFalse();
        send(ch, "hello");
        held.answerNext();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue(); // done: reading resumes for the next request
        assertThat(Wire.drain(ch)).startsWith("HTTP/1.1 200").endsWith("/p");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aStreamedHeadThatCannotBeWrittenClosesTheConnection() throws Exception {
        Held held = new Held();
        EmbeddedChannel ch = channel(held);
        send(ch, Wire.get("/a"));
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
                              io.netty.channel.ChannelPromise promise) {
                io.netty.util.ReferenceCountUtil.release(msg);
                promise.setFailure(new java.io.IOException("Broken pipe")); // the client went away
            }
        });
        Exchange ex = held.waiting.poll();
        ex.sendHead(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ch.runPendingTasks();
        // the head's write carries no promise of its own: its failure reaches the connection, which closes
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
