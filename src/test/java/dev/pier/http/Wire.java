package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** Drives a pipeline with raw request bytes and reads back everything it wrote, file regions included. */
public final class Wire {
    private Wire() {
    }

    public static EmbeddedChannel channel(HttpRuntime rt, Connections connections) {
        return new EmbeddedChannel(new HttpServerInitializer(rt, 0, connections));
    }

    public static EmbeddedChannel channel(HttpRuntime rt) {
        return channel(rt, new Connections(100, Fixtures.QUIET));
    }

    /** Feeds the request in one buffer and returns what was written back. */
    public static String roundTrip(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        return drain(ch);
    }

    /** Feeds the request in fragments of {@code size} bytes. */
    public static String fragmented(EmbeddedChannel ch, String request, int size) {
        byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length && ch.isOpen(); i += size) {
            ch.writeInbound(Unpooled.wrappedBuffer(b, i, Math.min(size, b.length - i)));
        }
        return drain(ch);
    }

    public static String drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof ByteBuf buf) {
                try {
                    buf.readBytes(out, buf.readableBytes());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                buf.release();
            } else if (o instanceof FileRegion region) {
                try {
                    while (region.transferred() < region.count()) {
                        region.transferTo(sink, region.transferred());
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    region.release();
                }
            } else {
                throw new AssertionError("unexpected outbound " + o);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Drops the Date header so responses from different seconds compare equal. */
    public static String withoutDate(String response) {
        return response.replaceAll("date: [^\r]*\r\n", "").replaceAll("Date: [^\r]*\r\n", "");
    }

    public static String get(String uri) {
        return "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\n\r\n";
    }
}
