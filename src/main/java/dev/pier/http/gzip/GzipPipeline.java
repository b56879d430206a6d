package dev.pier.http.gzip;

import dev.pier.http.HeldWrites;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * The handlers that compress a connection's responses, added before the dispatcher the first time a response there
 * is compressed (connections that never compress pay nothing). Outbound, a response passes {@code gzip-arm} (turns a
 * compressed response's file regions into chunked input), {@code gzip-chunks} (Netty's {@link ChunkedWriteHandler}:
 * reads the file only while the channel is writable, keeps every write in order) and {@code gzip-deflate}
 * ({@link GzipEncoder}), then the HTTP encoder.
 */
final class GzipPipeline {
    static final String ARM = "gzip-arm";
    static final String CHUNKS = "gzip-chunks";
    static final String DEFLATE = "gzip-deflate";
    /** The handler every response leaves the HTTP core through (HttpServerInitializer's name). */
    private static final String DISPATCHER = "dispatcher";

    private GzipPipeline() {
    }

    /**
     * The response whose head is written next on {@code ch} is compressed at {@code level}; called by the header
     * filter just before that write, on the event loop.
     */
    static void arm(Channel ch, int level) {
        ChannelPipeline p = ch.pipeline();
        dev.pier.http.BodyFilterArm arm = (dev.pier.http.BodyFilterArm) p.get(ARM);
        if (arm == null) {
            arm = new dev.pier.http.BodyFilterArm();
            // nginx compresses what the charset filter recoded: gzip's handlers go nearer the wire than its
            String anchor = p.get(dev.pier.http.charset.CharsetPipeline.RECODE) != null
                    ? dev.pier.http.charset.CharsetPipeline.RECODE : DISPATCHER;
            p.addBefore(anchor, DEFLATE, new GzipEncoder());
            p.addBefore(anchor, CHUNKS, new HeldWrites());
            p.addBefore(anchor, ARM, arm);
        }
        arm.next(level > 0 ? new GzipEncoder.Start(level) : null);
    }
}
