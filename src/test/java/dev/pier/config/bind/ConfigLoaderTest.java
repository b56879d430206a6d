package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void loadsAFileWithGlobalDirectives(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, "worker_processes 2;\nhttp { include srv.conf; }\n");
        Files.writeString(dir.resolve("srv.conf"), "server { listen 127.0.0.1:8080; }\n");
        PierConfig c = ConfigLoader.load(conf, dir,
                ConfigParser.parseString("daemon on; pid p.pid;", Source.commandLine(), null));
        assertThat(c.main().workerProcesses()).isEqualTo(2);
        assertThat(c.main().daemon()).isTrue();
        assertThat(c.main().pid()).isEqualTo(dir.resolve("p.pid"));
        assertThat(c.listenSpecs()).hasSize(1);
    }

    @Test
    void aDirectiveInBothIsDuplicateAtTheFileLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, "\ndaemon off;\n");
        assertThatThrownBy(() -> ConfigLoader.load(conf, dir,
                ConfigParser.parseString("daemon on;", Source.commandLine(), null)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"daemon\" directive is duplicate in " + conf + ":2");
    }

    @Test
    void errorsInGlobalDirectivesSayCommandLine() {
        assertThatThrownBy(() -> ConfigLoader.bind(TestConf.parse(""),
                ConfigParser.parseString("worker_processes x;", Source.commandLine(), null),
                TestConf.PREFIX, TestConf.FILE, TestConf.ENV))
                .hasMessage("\"worker_processes\" directive invalid value in command line");
    }
}
