package dev.pier.worker;

import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.http.AccessLogs;
import dev.pier.http.Connections;
import dev.pier.http.HttpRuntime;
import dev.pier.http.HttpServerInitializer;
import dev.pier.log.ErrorLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * Warms a spare worker before it has a slot: binds the configuration and pushes requests through the real HTTP
 * pipeline on an in-memory channel, so classes are loaded and the hot paths compiled when the spare takes over a
 * slot. Best effort: a failure here only means a colder start.
 */
final class Warmup {
    private static final int ROUNDS = 300;

    private Warmup() {
    }

    static void run(PierConfig config) {
        try {
            if (config.http().listeners().isEmpty()) {
                return;
            }
            HttpRuntime rt = HttpRuntime.compile(config.http(), ErrorLog.silent(),
                    AccessLogs.discarding());
            Connections connections = new Connections(1_000_000, ErrorLog.stderr(LogLevel.EMERG));
            byte[] request = ("GET /pier-warmup HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pier-warmup\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < ROUNDS; i++) {
                EmbeddedChannel ch = new EmbeddedChannel(new HttpServerInitializer(rt, 0, connections));
                ch.writeInbound(Unpooled.wrappedBuffer(request));
                for (Object o; (o = ch.readOutbound()) != null; ) {
                    if (o instanceof ByteBuf b) {
                        b.skipBytes(b.readableBytes());
                    }
                    ReferenceCountUtil.release(o);
                }
                ch.finishAndReleaseAll();
            }
        } catch (Exception | LinkageError e) {
            // a spare that could not warm up still takes over a slot, only slower
        }
    }
}
