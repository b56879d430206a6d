package dev.pier.log;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** A format made once per second: the same text within the second, the next second's after it. */
class SecondTextTest {
    @Test
    void aSecondIsFormattedOnceAndTheNextAnew() {
        SecondText t = new SecondText(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC));
        String first = t.of(1_700_000_000_123L);
        assertThat(first).isEqualTo("2023/11/14 22:13:20");
        assertThat(t.of(1_700_000_000_999L)).isSameAs(first);
        assertThat(t.of(1_700_000_001_000L)).isEqualTo("2023/11/14 22:13:21");
        assertThat(t.of(-1)).isEqualTo("1969/12/31 23:59:59"); // before the epoch: the second it falls in
    }
}
