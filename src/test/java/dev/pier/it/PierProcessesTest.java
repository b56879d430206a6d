package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self-check of the clean-up: a process tree is killed descendants first and nothing survives. */
class PierProcessesTest {
    @Test
    void killsWholeTree() throws Exception {
        Process root = new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
        Await.until(Duration.ofSeconds(5), "two children", () -> root.toHandle().children().count() == 2);
        List<ProcessHandle> all = new ArrayList<>(root.toHandle().descendants().toList());
        PierProcesses.killAll(all);
        PierProcesses.killAll(List.of(root.toHandle()));
        all.add(root.toHandle());
        assertThat(all).noneMatch(ProcessHandle::isAlive);
    }
}
