package dev.pier.master;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SteeringTest {
    @Test
    void withoutAReuseportSocketTheMasterHasNothingToCheck() {
        assertThat(Steering.tickMillis(false, 1)).isZero();
        assertThat(Steering.tickMillis(false, 4)).isZero();
    }

    @Test
    void stallsAreSampledWithTwoWorkersOrMoreBehindReuseport() {
        assertThat(Steering.tickMillis(true, 2)).isEqualTo(Steering.STALL_CHECK);
        assertThat(Steering.tickMillis(true, 8)).isEqualTo(Steering.STALL_CHECK);
    }

    @Test
    void oneWorkerBehindReuseportIsOnlyWatchedForIntruders() {
        assertThat(Steering.tickMillis(true, 1)).isEqualTo(Steering.INTRUDER_CHECK);
    }
}
