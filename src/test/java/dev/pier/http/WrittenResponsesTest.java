package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.ReferenceCountUtil;
import dev.pier.log.ErrorLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A response written without a promise completes once the socket took it, in order, or fails with its connection. */
class WrittenResponsesTest {
    /** A channel whose socket takes nothing while {@link #full}, and fails every write while {@link #broken}. */
    private static final class Socket extends EmbeddedChannel {
        boolean full;
        boolean broken;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (broken && !in.isEmpty()) {
                throw new IOException("Broken pipe");
            }
            if (!full) {
                Object m;
                while ((m = in.current()) != null) {
                    ReferenceCountUtil.retain(m);
                    handleOutboundMessage(m);
                    in.remove();
                }
            }
        }
    }

    private final Socket ch = new Socket();
    private final WrittenResponses written = new WrittenResponses(ch);
    private final List<String> ran = new ArrayList<>();

    WrittenResponsesTest() {
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                ctx.flush();
                written.flushed(ctx); // as SendTimeout does after every flush
            }
        }, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                written.closed(); // as HttpRequestDispatcher does
                ctx.fireChannelInactive();
            }
        });
    }

    private void respond(String name) {
        ch.write(Unpooled.copiedBuffer(name.getBytes()), written.promise());
        written.add(ok -> ran.add(name + (ok ? " sent" : " failed")));
    }

    @Test
    void completionsRunInOrderAfterTheFlushThatSentThem() {
        respond("a");
        respond("b");
        assertThat(ran).isEmpty();
        ch.flush();
        assertThat(ran).containsExactly("a sent", "b sent");
        respond("c");
        ch.flush();
        assertThat(ran).containsExactly("a sent", "b sent", "c sent");
        ch.finishAndReleaseAll();
    }

    @Test
    void aSocketThatTakesNothingRunsThemOnceItTookEverythingBefore() {
        ch.full = true;
        respond("a");
        respond("b");
        ch.flush();
        assertThat(ran).isEmpty();
        respond("c"); // behind the first two's marker
        ch.flush();
        assertThat(ran).isEmpty();
        ch.full = false;
        ch.flush();
        assertThat(ran).containsExactly("a sent", "b sent", "c sent");
        assertThat(ch.outboundMessages()).hasSize(5); // three responses and two empty markers
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionClosedBeforeItsFlushFailsWhatWaits() {
        respond("a");
        ch.close();
        assertThat(ran).containsExactly("a failed");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailedWriteFailsThemAndTheConnectionCloses() {
        ch.full = true;
        respond("a");
        ch.flush();
        ch.full = false;
        ch.broken = true;
        respond("b");
        ch.flush();
        assertThat(ran).containsExactly("a failed", "b failed");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompletionThatSendsAnotherResponseRunsOnce() {
        ch.write(Unpooled.copiedBuffer("a".getBytes()), written.promise());
        written.add(ok -> {
            ran.add("a " + ok);
            respond("b");
            ch.flush();
        });
        ch.flush();
        assertThat(ran).containsExactly("a true", "b sent");
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompletionThatClosesTheConnectionLetsTheOthersRunOnce() {
        ch.write(Unpooled.copiedBuffer("a".getBytes()), written.promise());
        written.add(ok -> {
            ran.add("a " + ok);
            ch.close();
        });
        respond("b");
        ch.flush();
        assertThat(ran).containsExactly("a true", "b sent");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    /** In a real pipeline: a response that never went out (closed before the read's flush) is still logged. */
    @Test
    void theDispatcherFailsWhatWaitsWhenItsConnectionCloses(@TempDir Path dir) throws Exception {
        HttpRuntime rt = Fixtures.compile("""
                http {
                  log_format t '$request_uri $status $bytes_sent';
                  access_log %s/access.log t;
                  server { server_name t; location / { return 200 "hello\\n"; } }
                }
                """.formatted(dir), dir, ErrorLog.silent());
        EmbeddedChannel client = Wire.channel(rt);
        // the request is read and answered, but the read does not complete: nothing flushes the answer
        client.pipeline().fireChannelRead(Unpooled.copiedBuffer("GET /a HTTP/1.1\r\nHost: t\r\n\r\n".getBytes()));
        client.close();
        client.finishAndReleaseAll();
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("access.log"))).hasSize(1).first().asString().startsWith("/a 200 ");
    }

    /** A body whose next piece is not there yet: {@link HeldWrites} keeps it, and everything after it, back. */
    private static final class LateBody implements ChunkedInput<ByteBuf> {
        boolean ready;
        boolean ended;

        @Override
        public boolean isEndOfInput() {
            return ended;
        }

        @Override
        public void close() {
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) {
            if (!ready || ended) {
                return null;
            }
            ended = true;
            return Unpooled.copiedBuffer("body".getBytes());
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public long progress() {
            return 0;
        }
    }

    @Test
    void aLastWriteHeldBackCompletesOnlyOnceItIsWritten() {
        HeldWrites held = new HeldWrites();
        ch.pipeline().addLast(held, new ChannelInboundHandlerAdapter()); // the second stands for the dispatcher
        ChannelHandlerContext writer = ch.pipeline().lastContext();
        written.holdBack(); // as the dispatcher's connection is told when HeldWrites joins its pipeline
        LateBody body = new LateBody();
        writer.write(body);
        written.writeLast(writer, Unpooled.copiedBuffer("end".getBytes()), ok -> ran.add("a " + ok
                + " after " + ch.outboundMessages().size() + " messages"));
        ch.flush();
        assertThat(ch.outboundMessages()).isEmpty(); // the outbound buffer is empty, yet the end is not out
        assertThat(ran).isEmpty();
        body.ready = true;
        held.resumeTransfer();
        assertThat(ran).containsExactly("a true after 2 messages");
        ch.finishAndReleaseAll();
    }
}
