package dev.pier.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class DateCacheTest {
    /** RFC 9110 5.6.7's preferred format (two-digit day, unlike the JDK's RFC 1123 formatter). */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    @Test
    void lastModifiedDatesAreRightWhateverTheCacheHolds() {
        // 4,096 seconds spread so that many share a slot of the 256-entry cache, each asked for twice in turn
        for (int round = 0; round < 2; round++) {
            for (long s = 0; s < 4096; s++) {
                long millis = 1_700_000_000_000L + s * 977_123L + 999;
                assertThat(DateCache.format(millis).toString()).isEqualTo(IMF_FIXDATE.format(
                        Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC)));
            }
        }
        assertThat((Object) DateCache.format(1_700_000_000_500L)).isSameAs(DateCache.format(1_700_000_000_000L));
    }
}
