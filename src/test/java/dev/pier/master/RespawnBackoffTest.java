package dev.pier.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RespawnBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aWorkerThatServedAWhileIsReplacedAtOnce() {
        RespawnBackoff b = new RespawnBackoff(2);
        assertThat(b.onDeath(0, T0, T0.plusSeconds(60))).isZero();
        assertThat(b.onDeath(0, T0, T0.plusSeconds(60))).isZero();
    }

    @Test
    void quickDeathsBackOffExponentiallyUpToFiveSeconds() {
        RespawnBackoff b = new RespawnBackoff(1);
        Instant quick = T0.plusMillis(300);
        assertThat(b.onDeath(0, T0, quick)).isZero(); // one quick death may be bad luck
        assertThat(b.onDeath(0, T0, quick)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.onDeath(0, T0, quick)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.onDeath(0, T0, quick)).isEqualTo(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) {
            b.onDeath(0, T0, quick);
        }
        assertThat(b.onDeath(0, T0, quick)).isEqualTo(Duration.ofSeconds(5));
        // a worker that then lives long enough resets the slot
        assertThat(b.onDeath(0, T0, T0.plusSeconds(10))).isZero();
        assertThat(b.onDeath(0, T0, quick)).isZero();
    }

    @Test
    void slotsAreIndependent() {
        RespawnBackoff b = new RespawnBackoff(2);
        Instant quick = T0.plusMillis(100);
        b.onDeath(0, T0, quick);
        assertThat(b.onDeath(0, T0, quick)).isPositive();
        assertThat(b.onDeath(1, T0, quick)).isZero();
    }
}
