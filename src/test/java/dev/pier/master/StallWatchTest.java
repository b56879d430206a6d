package dev.pier.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    @Test
    void aQueueThatKeepsGrowingIsStalledUntilItEmpties() {
        StallWatch w = new StallWatch();
        assertThat(w.sample(Map.of(0, 0, 1, 2))).isEmpty();
        assertThat(w.sample(Map.of(0, 0, 1, 4))).isEmpty();
        assertThat(w.sample(Map.of(0, 0, 1, 4))).isEmpty();
        assertThat(w.sample(Map.of(0, 0, 1, 6))).containsExactly(1); // 3 samples without shrinking
        assertThat(w.sample(Map.of(0, 0, 1, 6))).containsExactly(1);
        assertThat(w.sample(Map.of(0, 0, 1, 3))).containsExactly(1); // draining, but not empty yet
        assertThat(w.sample(Map.of(0, 0, 1, 0))).isEmpty();          // recovered
    }

    @Test
    void aBusyButDrainingQueueIsNotStalled() {
        StallWatch w = new StallWatch();
        int[] queue = {5, 3, 6, 2, 7, 1, 4};
        for (int q : queue) {
            assertThat(w.sample(Map.of(0, q, 1, 0))).isEmpty();
        }
    }

    @Test
    void whenEverySlotIsStuckNoneIsSteeredAway() {
        StallWatch w = new StallWatch();
        for (int i = 0; i < 6; i++) {
            assertThat(w.sample(Map.of(0, 10 + i, 1, 10 + i))).isEmpty();
        }
    }

    @Test
    void slotsThatLeaveThePoolAreForgotten() {
        StallWatch w = new StallWatch();
        for (int i = 0; i < 4; i++) {
            w.sample(Map.of(0, 0, 1, 9, 2, 0));
        }
        assertThat(w.sample(Map.of(0, 0, 1, 9, 2, 0))).containsExactly(1);
        assertThat(w.sample(Map.of(0, 0, 2, 0))).isEmpty();
    }
}
