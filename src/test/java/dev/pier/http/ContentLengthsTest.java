package dev.pier.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentLengthsTest {
    @Test
    void formatsEveryMagnitudeAndReusesSmallValues() {
        for (long v : new long[]{0, 1, 9, 10, 8191, 8192, 1_073_741_824L, Long.MAX_VALUE}) {
            assertThat(ContentLengths.of(v).toString()).isEqualTo(Long.toString(v));
        }
        assertThat((Object) ContentLengths.of(6)).isSameAs(ContentLengths.of(6));
    }
}
