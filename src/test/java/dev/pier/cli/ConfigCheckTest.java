package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    @Test
    void dumpListsTheMainFileThenEachIncludedFileOnce(@TempDir Path prefix) throws Exception {
        Path conf = Files.createDirectories(prefix.resolve("conf"));
        Files.writeString(conf.resolve("pier.conf"), """
                worker_processes 1;
                http {
                    include mime.types;
                    include sites/*.conf;
                }
                """);
        Files.writeString(conf.resolve("mime.types"), "types { text/html html; }\n");
        Files.createDirectories(conf.resolve("sites"));
        Files.writeString(conf.resolve("sites/a.conf"), "server { listen 127.0.0.1:1; }\n");
        Files.writeString(conf.resolve("sites/b.conf"), "server { listen 127.0.0.1:2; include mime.types; }\n");

        Options o = OptionsParser.parse(List.of("-T", "-p", prefix.toString()), prefix, prefix);

        assertThat(ConfigCheck.filesRead(o)).containsExactly(conf.resolve("pier.conf"), conf.resolve("mime.types"),
                conf.resolve("sites/a.conf"), conf.resolve("sites/b.conf"));
    }
}
