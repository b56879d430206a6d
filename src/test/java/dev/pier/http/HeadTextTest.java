package dev.pier.http;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HeadTextTest {
    private static final byte[] B = "xHost: caf\u00e9x".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void sameBytesAtTheGivenPlaceOnly() {
        assertThat(HeadText.same("Host", B, 1, 4)).isTrue();
        assertThat(HeadText.same(AsciiString.cached("Host"), B, 1, 4)).isTrue();
        assertThat(HeadText.same("Host", B, 0, 4)).isFalse();
        assertThat(HeadText.same(AsciiString.cached("Host"), B, 1, 5)).isFalse();
        assertThat(HeadText.same("host", B, 1, 4)).as("case counts").isFalse();
        assertThat(HeadText.same("caf\u00e9", B, 7, 4)).as("one char per byte, ISO-8859-1").isTrue();
        assertThat(HeadText.same((String) null, B, 1, 4)).isFalse();
        assertThat(HeadText.same((AsciiString) null, B, 1, 4)).isFalse();
    }
}
