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

/**
 * A worker's listeners: which rotate their registration ({@link AcceptRotation}: shared ones, with company), and the
 * channel a TCP one is adopted as.
 */
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

    @Test
    void aTcpListenerIsAdoptedAsPiersServerChannel(@TempDir Path dir) throws Exception {
        // whose connections take TCP_NODELAY and SO_LINGER from the listening socket (PierSocketChannelTest)
        io.netty.channel.Channel listener = withWorker(dir, 1, "", w -> w.listeners().getFirst());
        assertThat((Object) listener).isInstanceOf(io.netty.channel.epoll.PierServerSocketChannel.class);
    }

    @Test
    void aUnixListenerIsAdoptedAsPiersDomainServerChannelAndRotates(@TempDir Path dir) throws Exception {
        // registered exclusively and watched from the start (UnixListenIT serves on one)
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, """
                worker_processes 2;
                events { worker_connections 64; }
                http { access_log off; server { listen unix:%s; return 200 "ok\\n"; } }
                """.formatted(dir.resolve("w.sock")));
        PierConfig config = ConfigLoader.load(conf, dir, List.of());
        int fd = ListenSockets.open(config.listenSpecs().getFirst());
        WorkerServer w = WorkerServer.start(config, new int[] {fd}, ErrorLog.stderr(LogLevel.ALERT));
        try {
            assertThat((Object) w.listeners().getFirst())
                    .isInstanceOf(io.netty.channel.epoll.PierServerDomainSocketChannel.class);
            assertThat(w.rotatingListeners()).isEqualTo(1);
        } finally {
            w.closeNow();
        }
    }

    private static int rotating(Path dir, int workers, String listenFlags) throws Exception {
        return withWorker(dir, workers, listenFlags, WorkerServer::rotatingListeners);
    }

    private static <T> T withWorker(Path dir, int workers, String listenFlags,
                                    java.util.function.Function<WorkerServer, T> look) throws Exception {
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
            return look.apply(w);
        } finally {
            w.closeNow();
        }
    }
}
