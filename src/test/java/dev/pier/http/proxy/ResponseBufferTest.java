package dev.pier.http.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Accel-Limit-Rate values as nginx's ngx_atoi reads them: digits only, anything else is no limit. */
class ResponseBufferTest {
    @Test
    void limitRateValues() {
        assertThat(ResponseBuffer.parseRate("100000")).isEqualTo(100_000);
        assertThat(ResponseBuffer.parseRate("0")).isZero();
        assertThat(ResponseBuffer.parseRate("")).isZero();
        assertThat(ResponseBuffer.parseRate("10k")).as("no suffixes in the header").isZero();
        assertThat(ResponseBuffer.parseRate("-5")).isZero();
        assertThat(ResponseBuffer.parseRate("99999999999999999999")).as("overflow").isZero();
    }
}
