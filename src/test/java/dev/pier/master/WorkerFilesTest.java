package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.bind.ConfigBinder;
import dev.pier.config.bind.PierConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The master prepares every log file a worker writes: error logs of every level too, not stderr. */
class WorkerFilesTest {
    @Test
    void everyLevelsErrorAndAccessLogs() throws ConfigException {
        Path file = Path.of("/etc/pier/pier.conf");
        PierConfig c = ConfigBinder.bind(ConfigParser.parseText("""
                error_log logs/main.log;
                http {
                  error_log logs/http.log;
                  access_log logs/a.log;
                  server {
                    listen 127.0.0.1:8080;
                    error_log /var/log/s.log warn;
                    error_log stderr;
                    location /x { error_log logs/x.log info; location /x/y { error_log logs/y.log; } }
                  }
                }""", file, null), Path.of("/opt/pier"), file);
        assertThat(WorkerFiles.of(c)).containsExactlyInAnyOrder(Path.of("/opt/pier/logs/main.log"),
                Path.of("/opt/pier/logs/http.log"), Path.of("/opt/pier/logs/a.log"), Path.of("/var/log/s.log"),
                Path.of("/opt/pier/logs/x.log"), Path.of("/opt/pier/logs/y.log"));
    }
}
