package dev.pier.worker;

import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.FrameCodec;
import dev.pier.log.ErrorLog;
import dev.pier.master.ConfigReader;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of the build's JDK AOT cache ({@code -XX:AOTCacheOutput}, JEP 483/514): does what a worker JVM
 * does between its start and its first responses — binds a configuration, round-trips a control message, warms the
 * HTTP pipeline, serves real requests over epoll on a loopback port — so that every later worker JVM starts with
 * those classes already loaded and linked. The build records no method profiles (JEP 515): a few hundred training
 * requests profile the serving path too thinly, and the JIT's code built from them stayed slower for the worker's
 * life (docs/PERFORMANCE.md). Run by the build only; never by the server.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=target/pier.aot -cp ... dev.pier.worker.AotTraining HOME}.
 */
public final class AotTraining {
    private static final int REQUESTS = 200;

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Path dir = Files.createTempDirectory("pier-aot-training");
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path conf = dir.resolve("pier.conf");
            Files.writeString(conf, """
                    error_log %1$s/error.log notice;
                    events { worker_connections 64; }
                    http {
                        include %2$s/conf/mime.types;
                        access_log %1$s/access.log;
                        server {
                            listen 127.0.0.1:%3$d;
                            root %2$s/html;
                            location / { index index.html; }
                            location = /text { add_header X-Training 1; return 200 "ok $uri $args\\n"; }
                        }
                    }
                    """.formatted(dir, home, port));
            PierConfig config = ConfigReader.read(conf, dir, List.of());
            FrameCodec.decode(FrameCodec.encode(new ControlMessage.Assign(1, 0, dir.toString(), conf.toString(),
                    List.of(), config.source(), config.listenSpecs())));
            Warmup.run(config);
            serve(config, port);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void serve(PierConfig config, int port) throws Exception {
        int fd = ListenSockets.open(config.listenSpecs().getFirst());
        ErrorLog log = ErrorLog.open(config.main().errorLogs(), false);
        WorkerServer server;
        try {
            server = WorkerServer.start(config, new int[] {fd}, log);
        } catch (Exception e) {
            Fds.closeQuietly(fd);
            throw e;
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < REQUESTS; i++) {
                String target = i % 2 == 0 ? "/" : "/text?i=" + i;
                out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readResponse(in);
            }
        } finally {
            server.shutdownGracefully(java.util.Optional.of(java.time.Duration.ofSeconds(1))).join();
        }
    }

    /** Reads one response with a Content-Length body (enough for the training's own responses). */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("training server closed the connection");
            }
            head.append((char) c);
        }
        long length = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(15).trim())).findFirst().orElse(0);
        in.readNBytes((int) length);
    }
}
