package dev.pier.http.proxy.upstream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A walk's tried peers: each list on its own, indexes within the first word and beyond it. */
class AttemptTest {
    @Test
    void triedPeersAreKeptPerListAtAnyIndex() {
        Attempt a = Attempt.plain();
        List<Integer> marked = List.of(0, 1, 63, 64, 65, 127, 128, 1000);
        for (int i : marked) {
            a.mark(null, false, i);
        }
        a.mark(null, true, 63);
        a.mark(null, true, 64);
        for (int i = 0; i <= 1100; i++) {
            assertThat(a.tried(false, i)).as("primary %d", i).isEqualTo(marked.contains(i));
            assertThat(a.tried(true, i)).as("backup %d", i).isEqualTo(i == 63 || i == 64);
        }
        assertThat(Attempt.plain().tried(true, 500)).isFalse();
    }
}
