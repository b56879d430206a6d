package dev.pier.master;

import dev.pier.config.bind.PierConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CycleTest {

    private static PierConfig config(Path dir, String name, int workers) throws Exception {
        Path conf = dir.resolve(name);
        Files.writeString(conf, "worker_processes " + workers + ";\nhttp { server { listen 127.0.0.1:8081; } }\n");
        return ConfigReader.read(conf, dir, List.of());
    }

    @Test
    void workersOfTheReloadsGenerationGetItsConfigurationAndAllOthersTheCurrentOne(@TempDir Path dir)
            throws Exception {
        PierConfig current = config(dir, "a.conf", 2);
        PierConfig next = config(dir, "b.conf", 3);
        Cycle c = new Cycle(current, List.of(), null, null);
        assertThat(c.pendingFor(2)).as("no reload under way").isFalse();
        assertThat(c.configFor(2)).isSameAs(current);

        c.pending = new PendingReload(2, next, null);
        assertThat(c.pendingFor(2)).isTrue();
        assertThat(c.configFor(2)).as("a worker the reload starts").isSameAs(next);
        assertThat(c.configFor(1)).as("a worker of the serving generation (a respawn)").isSameAs(current);
    }

    @Test
    void aTimerOnlyPostsItsEventForTheLoop(@TempDir Path dir) throws Exception {
        Cycle c = new Cycle(config(dir, "a.conf", 1), List.of(), null, null);
        c.after(10, new MasterEvent.ReloadDeadline(7));
        assertThat(c.events.poll(5, TimeUnit.SECONDS)).isEqualTo(new MasterEvent.ReloadDeadline(7));
        c.timers.shutdownNow();
    }

    @Test
    void whileNoWorkerIsReadyEveryCurrentSlotTakesConnectionsSoTheyWaitQueued(@TempDir Path dir) throws Exception {
        Cycle c = new Cycle(config(dir, "a.conf", 3), List.of(), null, null);
        Workers w = new Workers(c, new WorkerSpawner(() -> dir.resolve("pier.sock")), why -> { }, () -> { });
        assertThat(w.readySlots()).isEmpty();
        assertThat(w.servedSlots()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(w.isEmpty()).isTrue();
    }
}
