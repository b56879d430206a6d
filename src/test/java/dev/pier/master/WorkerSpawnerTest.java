package dev.pier.master;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker JVM's options that depend on the JDK it runs on. */
class WorkerSpawnerTest {

    @Test
    void unsafeMemoryAccessIsAllowedOnlyOnTheJdksThatKnowTheOption() {
        assertThat(WorkerSpawner.unsafeMemoryAccess(22)).as("before JEP 471: no such option").isEmpty();
        assertThat(WorkerSpawner.unsafeMemoryAccess(23)).contains("--sun-misc-unsafe-memory-access=allow");
        assertThat(WorkerSpawner.unsafeMemoryAccess(25)).contains("--sun-misc-unsafe-memory-access=allow");
        assertThat(WorkerSpawner.unsafeMemoryAccess(26)).as("not measured there; may refuse it").isEmpty();
    }
}
