package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A head built in the thread's array comes out as the bytes Netty's encoder writes, whatever its size. */
class HeadScratchTest {

    @Test
    void valuesAreWrittenAsNettyWritesThem() {
        String value = "caf\u00e9 \u20ac1 \u0100";
        ByteBuf netty = Unpooled.buffer();
        netty.writeCharSequence(value, StandardCharsets.US_ASCII);
        ByteBuf ours = HeadScratch.start().ascii(value).copy(ByteBufAllocator.DEFAULT, 0);
        ByteBuf ascii = HeadScratch.start().ascii(new AsciiString("caf\u00e9")).copy(ByteBufAllocator.DEFAULT, 0);
        try {
            assertThat(Unsigned.of(ours)).isEqualTo(Unsigned.of(netty));
            assertThat(Unsigned.of(ascii)).containsExactly('c', 'a', 'f', 0xe9);
        } finally {
            netty.release();
            ours.release();
            ascii.release();
        }
    }

    @Test
    void linesAStatusAndAHugeHeadThenASmallOne() {
        String big = "x".repeat(40_000);
        ByteBuf huge = HeadScratch.start().statusLine(HttpResponseStatus.valueOf(299, "Odd"))
                .line("X-Big", big).line(HeadBytes.DATE, null).line(HeadBytes.DATE, "d")
                .copy(ByteBufAllocator.DEFAULT, 10);
        ByteBuf small = HeadScratch.start().statusLine(HttpResponseStatus.OK).bytes(HeadBytes.END)
                .copy(ByteBufAllocator.DEFAULT, 0);
        try {
            assertThat(huge.toString(StandardCharsets.ISO_8859_1))
                    .isEqualTo("HTTP/1.1 299 Odd\r\n\r\nX-Big: " + big + "\r\nDate: d");
            assertThat(huge.writableBytes()).isGreaterThanOrEqualTo(10);
            assertThat(small.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n\r\n");
        } finally {
            huge.release();
            small.release();
        }
    }

    @Test
    void aRequestHeadsLinesEachEndWithCrlf() {
        ByteBuf head = HeadScratch.start().ascii("GET").put(' ').ascii("/x").put(' ')
                .bytes("HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).field("Host", "b")
                .field(new AsciiString("X-A"), "caf\u00e9").crlf().copy(ByteBufAllocator.DEFAULT, 0);
        try {
            assertThat(head.isDirect()).isTrue();
            assertThat(head.toString(StandardCharsets.ISO_8859_1))
                    .isEqualTo("GET /x HTTP/1.1\r\nHost: b\r\nX-A: caf\u00e9\r\n\r\n");
        } finally {
            head.release();
        }
    }

    /** The array a huge head grew is not kept for the thread's next head. */
    @Test
    void aHugeHeadsArrayIsNotKept() throws Exception {
        var field = HeadScratch.class.getDeclaredField("a");
        field.setAccessible(true);
        HeadScratch h = HeadScratch.start().ascii("y".repeat(40_000));
        assertThat(((byte[]) field.get(h)).length).isGreaterThanOrEqualTo(40_000);
        h.copy(ByteBufAllocator.DEFAULT, 0).release();
        assertThat(((byte[]) field.get(HeadScratch.start())).length).isLessThanOrEqualTo(16 * 1024);
    }

    /** A buffer's readable bytes as unsigned ints. */
    private static final class Unsigned {
        static int[] of(ByteBuf b) {
            int[] out = new int[b.readableBytes()];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getUnsignedByte(b.readerIndex() + i);
            }
            return out;
        }
    }
}
