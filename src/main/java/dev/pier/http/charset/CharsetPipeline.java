package dev.pier.http.charset;

import dev.pier.http.HeldWrites;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/**
 * The handlers that recode a connection's responses, added before the dispatcher the first time a response there is
 * recoded. Outbound, a response passes {@code charset-arm} (file regions become chunked input),
 * {@code charset-chunks} (reads a file only while the channel is writable) and {@code charset-recode}, then gzip's
 * handlers if any: nginx's charset body filter runs before its gzip filter, so recoding sees the plain body.
 */
public final class CharsetPipeline {
    /** The handler nearest the wire; gzip's handlers go before it ({@code GzipPipeline}). */
    public static final String RECODE = "charset-recode";
    static final String CHUNKS = "charset-chunks";
    static final String ARM = "charset-arm";
    private static final String DISPATCHER = "dispatcher";

    private CharsetPipeline() {
    }

    /** The response whose head is written next on {@code ch} is recoded by {@code recoder}. */
    static void arm(Channel ch, Recoder recoder) {
        ChannelPipeline p = ch.pipeline();
        dev.pier.http.BodyFilterArm arm = (dev.pier.http.BodyFilterArm) p.get(ARM);
        if (arm == null) {
            arm = new dev.pier.http.BodyFilterArm();
            p.addBefore(DISPATCHER, RECODE, new RecodeHandler());
            p.addBefore(DISPATCHER, CHUNKS, new HeldWrites());
            p.addBefore(DISPATCHER, ARM, arm);
        }
        arm.next(new RecodeHandler.Start(recoder));
    }
}
