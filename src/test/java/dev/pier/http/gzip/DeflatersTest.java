package dev.pier.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A thread's spare deflaters: reused after a reset with the same output as a fresh one, one spare per level. */
class DeflatersTest {
    @Test
    void aSpareIsResetAndTakenAgainAndAnExtraOneIsFreed() {
        Deflater a = Deflaters.take(6);
        Deflater b = Deflaters.take(6); // a at work: another one
        assertThat(b).isNotSameAs(a);
        a.setInput(new byte[] {1, 2, 3});
        Deflaters.give(a, 6);
        assertThat(a.getTotalIn()).isZero(); // reset
        Deflaters.give(b, 6); // a spare is held already: b is freed
        assertThatThrownBy(() -> b.deflate(new byte[16])).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(Deflaters.take(6)).isSameAs(a);
        assertThat(Deflaters.take(1)).isNotSameAs(a); // a spare per level
    }

    @Test
    void streamsOnAReusedDeflaterAreTheSameBytesAsOnAFreshOne() throws Exception {
        String text = "a line that repeats and compresses, ".repeat(400);
        byte[] first = gzip(text, 1);
        byte[] second = gzip(text, 1); // the first's deflater, reset
        assertThat(second).isEqualTo(first);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(second))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(text);
        }
    }

    private static byte[] gzip(String text, int level) {
        GzipStream s = new GzipStream(level);
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer(16); // smaller than the output: it grows as deflate fills it
        s.deflate(in, out);
        s.finish(out);
        in.release();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }
}
