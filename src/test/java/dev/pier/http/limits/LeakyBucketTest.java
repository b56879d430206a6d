package dev.pier.http.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's leaky bucket in thousandths of a request (rate 1000 = 1r/s). */
class LeakyBucketTest {

    @Test
    void eachRequestAddsOneAndTheBucketLeaksAtTheRate() {
        assertThat(LeakyBucket.next(0, 0, 0, 1000)).isEqualTo(1000); // a second request at once
        assertThat(LeakyBucket.next(1000, 0, 500, 1000)).isEqualTo(1500); // half a second leaked 500
        assertThat(LeakyBucket.next(1000, 0, 1000, 1000)).isEqualTo(1000);
        assertThat(LeakyBucket.next(0, 0, 5000, 1000)).isEqualTo(0); // never below zero
        assertThat(LeakyBucket.next(0, 0, 100, 500)).isEqualTo(950); // 30r/m leaks 50 in 100 ms
    }

    @Test
    void aClockGoingBackCountsAsNoTimeOrOneMillisecond() {
        assertThat(LeakyBucket.elapsed(1000, 900)).isZero();
        assertThat(LeakyBucket.elapsed(100_000, 0)).isEqualTo(1);
        assertThat(LeakyBucket.next(2000, 1000, 900, 1000)).isEqualTo(3000);
    }

    @Test
    void delayIsTheExcessOverDelayAtTheRate() {
        assertThat(LeakyBucket.delayMillis(0, 0, 1000)).isZero();
        assertThat(LeakyBucket.delayMillis(1000, 0, 1000)).isEqualTo(1000); // one request ahead at 1r/s: 1 s
        assertThat(LeakyBucket.delayMillis(1500, 1000, 2000)).isEqualTo(250); // delay=1 at 2r/s
        assertThat(LeakyBucket.delayMillis(4000, 5000, 1000)).isZero(); // within delay=5
    }

    @Test
    void expiresAfterAMinuteOnceLeakedAway() {
        assertThat(LeakyBucket.expired(0, 0, 59_999, 1000)).isFalse();
        assertThat(LeakyBucket.expired(0, 0, 60_000, 1000)).isTrue();
        assertThat(LeakyBucket.expired(100_000_000, 0, 60_000, 1000)).isFalse();
    }

    @Test
    void formatsLikeNginx() {
        assertThat(LeakyBucket.format(1500)).isEqualTo("1.500");
        assertThat(LeakyBucket.format(7)).isEqualTo("0.007");
        assertThat(LeakyBucket.format(12_050)).isEqualTo("12.050");
    }
}
