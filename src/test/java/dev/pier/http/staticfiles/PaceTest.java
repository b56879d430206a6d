package dev.pier.http.staticfiles;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's limit_rate arithmetic: the first second's worth and limit_rate_after at once, then rate bytes/s. */
class PaceTest {
    private static final long SEC = 1_000_000_000L;

    @Test
    void allowanceGrowsWithTimeAfterTheFirstSecondAndTheFreeBytes() {
        Pace p = new Pace(1000, 500, 0);
        assertThat(p.allowance(0)).isEqualTo(1500);
        p.sent(1500);
        assertThat(p.allowance(0)).isZero();
        assertThat(p.delayNanos(0, 100)).isEqualTo(SEC / 10);
        assertThat(p.allowance(SEC / 2)).isEqualTo(500);
        p.sent(500);
        assertThat(p.allowance(SEC)).isEqualTo(500);
        assertThat(p.allowance(3 * SEC)).isEqualTo(2500);
    }

    @Test
    void delayIsNeverBelowAMillisecond() {
        Pace p = new Pace(1_000_000_000, 0, 0);
        assertThat(p.delayNanos(5 * SEC, 1)).isEqualTo(1_000_000);
    }
}
