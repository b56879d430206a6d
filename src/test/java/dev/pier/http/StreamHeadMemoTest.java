package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every part of what a streamed head came from is part of {@link StreamHeadMemo}'s key. */
class StreamHeadMemoTest {
    private static final CharSequence[] LINES = {"Content-Length", "2"};
    private static final HeadRewrite REWRITE = (name, value) -> value;
    private static final AsciiString SERVER = AsciiString.of("pier");
    private static final AsciiString DATE = AsciiString.of("Mon, 01 Jan 2001 00:00:00 GMT");
    private static final AsciiString KEEP_ALIVE = AsciiString.of("timeout=60");
    private static final StreamHead.Lines OWN = new StreamHead.Lines(SERVER, DATE, null, "2", null, null, false,
            true, KEEP_ALIVE);

    private static StreamHeadMemo kept(String head) {
        StreamHeadMemo memo = new StreamHeadMemo();
        memo.keep(LINES, REWRITE, HttpResponseStatus.OK, SERVER, DATE, OWN,
                HeadScratch.start().ascii(head));
        return memo;
    }

    @Test
    void theSameLinesUnderTheSameConditionsGiveTheKeptHead() {
        StreamHeadMemo memo = kept("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(memo.knows(LINES, REWRITE)).isTrue();
        assertThat(memo.length()).isTrue();
        assertThat(memo.same(HttpResponseStatus.OK, SERVER, DATE, false, true, KEEP_ALIVE)).isSameAs(OWN);
        ByteBuf copy = memo.copy(UnpooledByteBufAllocator.DEFAULT);
        assertThat(copy.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
        copy.release();
        assertThat(memo.hits()).isEqualTo(1);
    }

    @Test
    void anyPartChangedIsAnotherHead() {
        StreamHeadMemo memo = kept("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(memo.knows(LINES.clone(), REWRITE)).as("equal lines, another array").isFalse();
        assertThat(memo.knows(LINES, (name, value) -> value)).as("another rewrite").isFalse();
        assertThat(memo.same(HttpResponseStatus.NOT_FOUND, SERVER, DATE, false, true, KEEP_ALIVE)).isNull();
        assertThat(memo.same(HttpResponseStatus.valueOf(200, "Fine"), SERVER, DATE, false, true, KEEP_ALIVE))
                .as("another reason").isNull();
        assertThat(memo.same(HttpResponseStatus.OK, AsciiString.of("pier"), DATE, false, true, KEEP_ALIVE))
                .as("another Server value").isNull();
        assertThat(memo.same(HttpResponseStatus.OK, SERVER, new AsciiString(DATE.toString()), false, true, KEEP_ALIVE))
                .as("the next second's Date").isNull();
        assertThat(memo.same(HttpResponseStatus.OK, SERVER, DATE, true, true, KEEP_ALIVE)).as("chunked").isNull();
        assertThat(memo.same(HttpResponseStatus.OK, SERVER, DATE, false, false, KEEP_ALIVE)).as("close").isNull();
        assertThat(memo.same(HttpResponseStatus.OK, SERVER, DATE, false, true, null)).as("no Keep-Alive").isNull();
        assertThat(memo.hits()).isZero();
    }

    @Test
    void nothingIsKnownBeforeTheFirstHeadNorAfterOneTooLongToKeep() {
        assertThat(new StreamHeadMemo().knows(null, null)).isFalse();
        StreamHeadMemo memo = kept("HTTP/1.1 200 OK\r\n\r\n");
        memo.keep(LINES, REWRITE, HttpResponseStatus.OK, SERVER, DATE, OWN,
                HeadScratch.start().ascii("HTTP/1.1 200 OK\r\nX-Long: " + "x".repeat(2000) + "\r\n\r\n"));
        assertThat(memo.knows(LINES, REWRITE)).isFalse();
    }
}
