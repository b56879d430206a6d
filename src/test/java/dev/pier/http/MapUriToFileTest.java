package dev.pier.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The segment count behind {@link Location#mapUriToFile}'s refusal of paths that climb out of root or alias. */
class MapUriToFileTest {
    @Test
    void countsOnlyWholeDotDotSegments() {
        assertThat(Location.dotDotSegments("/data/w/file")).isZero();
        assertThat(Location.dotDotSegments("/data/w/../secret")).isEqualTo(1); // the off-by-slash
        assertThat(Location.dotDotSegments("/data/w/..")).isEqualTo(1);
        assertThat(Location.dotDotSegments("../x/../y")).isEqualTo(2);
        assertThat(Location.dotDotSegments("/a..b/...c/..d/e..")).isZero(); // names that merely contain dots
        assertThat(Location.dotDotSegments("/data/w/...")).isZero();
    }
}
