package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {

    @Test
    void aReplayBindsTheBytesTheMasterReadWhateverTheDiskSaysNow(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pier.conf");
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(conf, "worker_processes 3;\nhttp { include conf.d/*.conf; }\n");
        Files.writeString(dir.resolve("conf.d/a.conf"), "server { listen 127.0.0.1:8081; }\n");
        Files.writeString(dir.resolve("conf.d/b.conf"), "server { listen 127.0.0.1:8082; }\n");
        PierConfig read = ConfigReader.read(conf, dir, List.of("pid run/p.pid;"));
        assertThat(read.source().files()).containsOnlyKeys(conf, dir.resolve("conf.d/a.conf"),
                dir.resolve("conf.d/b.conf"));

        // everything changes on disk: the main file breaks, an included file goes, a new one matches the pattern
        Files.writeString(conf, "worker_processes x;\n");
        Files.delete(dir.resolve("conf.d/a.conf"));
        Files.writeString(dir.resolve("conf.d/c.conf"), "server { listen 127.0.0.1:8083; }\n");
        assertThatThrownBy(() -> ConfigReader.read(conf, dir, List.of())).isInstanceOf(ConfigException.class);

        PierConfig replayed = ConfigReader.replay(read.source(), conf, dir, List.of("pid run/p.pid;"));
        assertThat(replayed.main().workerProcesses()).isEqualTo(3);
        assertThat(replayed.main().pid()).isEqualTo(dir.resolve("run/p.pid"));
        assertThat(replayed.listenSpecs()).isEqualTo(read.listenSpecs()).hasSize(2);
        assertThat(replayed.source()).isEqualTo(read.source());
    }

    @Test
    void aFileMissingFromTheSnapshotIsAClearError(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, "http { }\n");
        PierConfig read = ConfigReader.read(conf, dir, List.of());
        assertThatThrownBy(() -> ConfigReader.replay(read.source(), dir.resolve("other.conf"), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("other.conf\" failed (not in the master's configuration snapshot)");
    }
}
