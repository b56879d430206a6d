package dev.pier.worker;

import dev.pier.config.bind.ConfigLoader;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.log.ErrorLog;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers watching one listening socket, as an old and a new generation do during a reload: both wake for each
 * connection and one of them loses the race for it. The loser must not block in accept() (a blocking socket would
 * park its event loop until the next connection, leaving the connections it already holds unanswered).
 */
class SharedListenerTest {

    @Test
    void twoWorkersOnOneSocketAnswerEveryConnection(@TempDir Path dir) throws Exception {
        PierConfig config = config(dir);
        int fd = ListenSockets.open(config.listenSpecs().getFirst());
        int port = ListenSockets.localPort(fd);
        ErrorLog log = ErrorLog.stderr(LogLevel.ALERT);
        WorkerServer a = WorkerServer.start(config, new int[] {fd}, log);
        WorkerServer b = WorkerServer.start(config, new int[] {Fds.dup(fd)}, log);
        try {
            assertThat(Fds.isNonBlocking(fd)).as("the shared listening socket is non-blocking").isTrue();
            // keep-alive connections held open on both workers, then fresh ones: each must be answered, and the
            // held ones must still answer afterwards (an event loop blocked in accept() answers nothing)
            try (Held held = new Held(port, 8)) {
                for (int i = 0; i < 60; i++) {
                    try (Socket s = connect(port)) {
                        assertThat(exchange(s)).startsWith("HTTP/1.1 200");
                    }
                }
                held.allAnswer();
            }
        } finally {
            a.closeNow();
            b.closeNow();
        }
    }

    @Test
    void adoptingABlockingDescriptorMakesItNonBlocking(@TempDir Path dir) throws Exception {
        PierConfig config = config(dir);
        int fd = ListenSockets.open(config.listenSpecs().getFirst());
        Fds.nonBlocking(fd, false); // as a master of an older binary could hand it over
        WorkerServer w = WorkerServer.start(config, new int[] {fd}, ErrorLog.stderr(LogLevel.ALERT));
        try {
            assertThat(Fds.isNonBlocking(fd)).isTrue();
        } finally {
            w.closeNow();
        }
    }

    private static PierConfig config(Path dir) throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // an ephemeral port, free a moment ago
        }
        Path conf = dir.resolve("pier.conf");
        Files.writeString(conf, """
                events { worker_connections 64; }
                http { access_log off; server { listen 127.0.0.1:%d; keepalive_timeout 30s; return 200 "ok\\n"; } }
                """.formatted(port));
        return ConfigLoader.load(conf, dir, List.of());
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
        return s;
    }

    /** Sends one keep-alive GET and reads the status line and headers up to the 3-byte body. */
    private static String exchange(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\nok\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Keep-alive connections opened up front, each answered once; {@link #allAnswer()} asks each again. */
    private static final class Held implements java.io.Closeable {
        private final List<Socket> sockets = new java.util.ArrayList<>();

        Held(int port, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                Socket s = connect(port);
                sockets.add(s);
                assertThat(exchange(s)).startsWith("HTTP/1.1 200");
            }
        }

        void allAnswer() throws Exception {
            for (Socket s : sockets) {
                assertThat(exchange(s)).startsWith("HTTP/1.1 200");
            }
        }

        @Override
        public void close() throws java.io.IOException {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
