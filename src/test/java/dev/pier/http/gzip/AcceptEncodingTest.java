package dev.pier.http.gzip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's Accept-Encoding test: the first gzip token and its quality decide. */
class AcceptEncodingTest {
    @Test
    void acceptsGzipWithOrWithoutANonZeroQuality() {
        assertThat(AcceptEncoding.gzip("gzip")).isTrue();
        assertThat(AcceptEncoding.gzip("deflate, gzip")).isTrue();
        assertThat(AcceptEncoding.gzip("br,gzip ,deflate")).isTrue();
        assertThat(AcceptEncoding.gzip("GZIP")).isTrue();
        assertThat(AcceptEncoding.gzip("gzip;q=0.5")).isTrue();
        assertThat(AcceptEncoding.gzip("gzip; q=1.000, br")).isTrue();
        assertThat(AcceptEncoding.gzip("gzip;q=0.001")).isTrue();
    }

    @Test
    void refusesZeroQualityOtherTokensAndJunk() {
        assertThat(AcceptEncoding.gzip("gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip;q=0.000")).isFalse();
        assertThat(AcceptEncoding.gzip("deflate")).isFalse();
        assertThat(AcceptEncoding.gzip("x-gzip")).isFalse(); // nginx: the token must start the list or follow , or ' '
        assertThat(AcceptEncoding.gzip("gzipx")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip;q=2")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip;q=0.0001")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip;level=1")).isFalse();
    }
}
