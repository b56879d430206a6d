package dev.pier.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

import java.util.Arrays;

/**
 * Responses whose last write carries no promise, and what runs once the socket took each of them (its access log
 * line, then the keep-alive wait or the lingering close). A promise and its listener per response cost about 7% of a
 * {@code return 200} worker's event loop; nearly always the flush that follows writes everything at once. So after
 * every flush ({@link ResponseEncoder}, next to the socket, sees each one) the connection looks at its outbound
 * buffer: empty means every response before it is out, and their completions run, in order. Otherwise (a slow client) one empty write with a
 * promise goes behind them and runs those completions when the socket has taken everything before it, as the
 * responses' own promises would have. If the connection closes first, what is still waiting runs as failed
 * ({@link #closed}, from the dispatcher's {@code channelInactive}). A connection whose pipeline holds writes back
 * ({@link HeldWrites}: gzip, charset recoding, buffered file bodies) gives its last writes promises again
 * ({@link #writeLast}). Confined to the connection's event loop.
 */
final class WrittenResponses {
    /** What runs once a response's bytes are out, or could not be sent. */
    interface Done {
        void written(boolean success);
    }

    private final Channel channel;
    /** A handler that holds writes back is in the pipeline ({@link HeldWrites}): last writes carry promises. */
    private boolean held;
    private ChannelPromise quiet;
    private Done[] waiting = new Done[2];
    private int count;

    WrittenResponses(Channel channel) {
        this.channel = channel;
    }

    /**
     * The promise for a response's writes: a failed write does not fire {@code exceptionCaught} (the flush closes
     * the connection, and its completion runs as failed), as with a real promise nobody listens to.
     */
    ChannelPromise promise() {
        if (quiet == null) {
            quiet = new VoidChannelPromise(channel, false);
        }
        return quiet;
    }

    /**
     * A handler that holds writes back joined the connection's pipeline ({@link HeldWrites}). A response's last
     * message may then wait there while the outbound buffer is empty, so from now on each one carries a promise,
     * which that handler completes once it really wrote the message. The completions already waiting belong to
     * writes that passed before it joined: the outbound buffer still tells about them.
     */
    void holdBack() {
        held = true;
    }

    /**
     * Writes a response's {@code last} message through {@code ctx}; {@code done} runs once it is out (or could not
     * be sent): without a promise as a rule, with one on a connection that may hold writes back.
     */
    void writeLast(ChannelHandlerContext ctx, Object last, Done done) {
        if (held) {
            ctx.write(last).addListener(f -> done.written(f.isSuccess()));
            return;
        }
        ctx.write(last, promise());
        add(done);
    }

    /** {@code done} runs once everything written so far on the connection is out (or failed). */
    void add(Done done) {
        if (count == waiting.length) {
            waiting = Arrays.copyOf(waiting, count * 2);
        }
        waiting[count++] = done;
    }

    /**
     * The connection is closed ({@code channelInactive}, which comes after the close failed the writes still queued,
     * so their completions behind a marker ran first): what still waits runs as failed.
     */
    void closed() {
        runAll(false);
    }

    /** After a flush through {@code ctx} (the handler next to the socket): completions whose responses are out run. */
    void flushed(ChannelHandlerContext ctx) {
        if (count == 0) {
            return;
        }
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null || !channel.isActive()) {
            runAll(false);
        } else if (out.isEmpty()) {
            runAll(true);
        } else {
            Done[] batch = take();
            ctx.write(Unpooled.EMPTY_BUFFER).addListener(f -> run(batch, f.isSuccess()));
            ctx.flush();
        }
    }

    private void runAll(boolean success) {
        if (count == 1) { // the common case: one response per read
            Done d = waiting[0];
            waiting[0] = null;
            count = 0;
            d.written(success);
        } else if (count > 1) {
            run(take(), success);
        }
    }

    /** The waiting completions, taken out first: one may write, flush or close, which must find none. */
    private Done[] take() {
        Done[] batch = Arrays.copyOf(waiting, count);
        Arrays.fill(waiting, 0, count, null);
        count = 0;
        return batch;
    }

    private static void run(Done[] batch, boolean success) {
        for (Done d : batch) {
            d.written(success);
        }
    }
}
