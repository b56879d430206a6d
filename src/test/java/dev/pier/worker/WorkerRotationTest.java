package dev.pier.worker;

import dev.pier.config.bind.ConfigLoader;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.log.ErrorLog;
import dev.pier.os.ListenSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of a worker's listeners rotate their registration ({@link AcceptRotation}): shared ones, with company. */
class WorkerRotationTest {
    @Test
    void aSharedSocketRotatesWhenTheConfigurationHasSeveralWorkers(@TempDir Path dir) throws Exception {
        assertThat(rotating(dir, 2, "")).isEqualTo(1);
    }

    @Test
    void aLoneWorkerDoesNotRotateItsSharedSocket(@TempDir Path dir) throws Exception {
        assertThat(rotating(dir, 1, "")).isZero();
    }

    @Test
    void aReuseportSocketNeverRotates(@TempDir Path dir) throws Exception {
        assertThat(rotating(dir, 2, " reuseport")).isZero();
    }

    private static int rotating(Path dir, int workers, String listenFlags) throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // an ephemeral port, free a moment ago
        }
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, """
                worker_processes %d;
                events { worker_connections 64; }
                http { access_log off; server { listen 127.0.0.1:%d%s; return 200 "ok\\n"; } }
                """.formatted(workers, port, listenFlags));
        PierConfig config = ConfigLoader.load(conf, dir, List.of());
        int fd = ListenSockets.open(config.listenSpecs().getFirst());
        WorkerServer w = WorkerServer.start(config, new int[] {fd}, ErrorLog.stderr(LogLevel.ALERT));
        try {
            return w.rotatingListeners();
        } finally {
            w.closeNow();
        }
    }
}
