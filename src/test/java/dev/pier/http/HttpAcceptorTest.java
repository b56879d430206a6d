package dev.pier.http;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.PierServerSocketChannel;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The listening channel's handler: pipelines built before registration, worker_connections, failed accepts. */
class HttpAcceptorTest {
    private static final byte[] CLOSE = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void servesConnectionsItBuiltAndClosesThoseOverWorkerConnections(@TempDir Path dir) throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        HttpRuntime rt = Fixtures.runtime(serverConf(server().nest(Fixtures.prefix("/").ret(200, "ok")), "localhost"));
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.ALERT), false);
        Connections conns = new Connections(1, log);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            int port = LoopServer.listen(group, new HttpAcceptor(rt, 0, conns, log));
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(CLOSE);
                    assertThat(text(s.getInputStream().readAllBytes())).startsWith("HTTP/1.1 200").endsWith("ok");
                }
                LoopServer.awaitOpen(conns, 0); // one at a time: worker_connections 1
            }
            try (Socket kept = new Socket("127.0.0.1", port)) {
                kept.getOutputStream().write(KEEP);
                assertThat(readResponse(kept.getInputStream())).startsWith("HTTP/1.1 200");
                try (Socket refused = new Socket("127.0.0.1", port)) {
                    refused.setSoTimeout(5000);
                    assertThat(refused.getInputStream().read()).as("closed at once, unserved").isEqualTo(-1);
                }
                kept.getOutputStream().write(CLOSE);
                assertThat(text(kept.getInputStream().readAllBytes())).startsWith("HTTP/1.1 200");
            }
            LoopServer.awaitOpen(conns, 0);
            assertThat(Files.readString(dir.resolve("error.log")))
                    .contains("[alert]").contains("1 worker_connections are not enough");
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterClientHeaderTimeout(@TempDir Path dir) throws Exception {
        serve("client_header_timeout 300ms;", dir, port -> {
            try (Socket silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 3000L);
            }
        });
    }

    /**
     * A 413 answered before the body ends closes the connection lingering: the client can send the rest of its body
     * and then read the whole answer, where a plain close with bytes unread would reset the connection.
     */
    @org.junit.jupiter.api.RepeatedTest(3) // the first run on a cold JVM passed even with the bug
    void aRefusedBodyEndsInALingeringClose(@TempDir Path dir) throws Exception {
        serve("client_max_body_size 1k;", dir, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                var out = s.getOutputStream();
                out.write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2097152\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] piece = new byte[64 * 1024];
                java.util.Arrays.fill(piece, (byte) 'x');
                for (int i = 0; i < 32; i++) { // 2 MiB, most of it after the answer
                    out.write(piece);
                    Thread.sleep(i == 0 ? 200 : 0);
                }
                out.flush();
                assertThat(text(s.getInputStream().readAllBytes())).startsWith("HTTP/1.1 413")
                        .contains("Connection: close");
            }
        });
    }

    /**
     * {@code lingering_close on} for a response that ends after its request's input event (here a {@code limit_req}
     * delay, during which nothing is read): bytes the client sent meanwhile wait unread in the socket, so the close
     * lingers (asked of the kernel, FIONREAD): the client reads the whole answer and the end of the stream, and what
     * it sends after that is still read and discarded; a plain close would have reset the connection.
     */
    @org.junit.jupiter.api.RepeatedTest(3)
    void aResponseFinishedLaterLingersWhenTheClientSentMoreMeanwhile(@TempDir Path dir) throws Exception {
        // the zone's file in this test's directory (zones outlive a server, as they outlive a reload)
        System.setProperty("pier.zones.dir", Files.createDirectories(dir.resolve("zones")).toString());
        try {
            Path www = Files.createDirectories(dir.resolve("www"));
            Files.writeString(www.resolve("f.txt"), "ok"); // a file: `return` would answer before limit_req runs
            String conf = "http { limit_req_zone $arg_k zone=one:64k rate=4r/s; server {"
                    + " location / { limit_req zone=one burst=5; root " + www + "; } } }";
            serveConf(conf, dir, port -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    var out = s.getOutputStream();
                    var in = s.getInputStream();
                    out.write("GET /f.txt?k=1 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] first = new byte[256];
                    int n = in.read(first); // the first request is not delayed
                    assertThat(text(java.util.Arrays.copyOf(first, n))).startsWith("HTTP/1.1 200");
                    long sent = System.nanoTime();
                    out.write("GET /f.txt?k=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(50); // the second is delayed (250 ms) and nothing is read meanwhile
                    out.write("GET /f.txt HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String rest = text(in.readAllBytes()); // the server's half-close ends the stream
                    assertThat(System.nanoTime() - sent).as("delayed").isGreaterThan(150_000_000L);
                    assertThat(rest).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("ok");
                    // still lingering: what the client sends now is read and discarded; a closed socket would
                    // answer the first write with a reset and fail the next
                    for (int i = 0; i < 3; i++) {
                        out.write("more".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    }
                }
            });
        } finally {
            System.clearProperty("pier.zones.dir");
        }
    }

    /**
     * A response that closes the connection carries the FIN in its last segment (the socket is corked before it is
     * written and the close sends both): the client receives its SYN-ACK, the kernel's ACK of the request and the
     * answer with the FIN, where a FIN of its own would be one segment more. Counted on the client's socket, left in
     * CLOSE-WAIT, by {@code ss -ti}.
     */
    @Test
    void aClosingResponseCarriesTheFinInItsLastSegment(@TempDir Path dir) throws Exception {
        assumeTrue(new ProcessBuilder("ss", "-V").start().waitFor() == 0, "ss (iproute2)");
        serve("", dir, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(CLOSE);
                assertThat(text(s.getInputStream().readAllBytes())).startsWith("HTTP/1.1 200").endsWith("ok");
                long[] in = segmentsIn(s.getLocalPort());
                assertThat(in[1]).as("segments with data").isEqualTo(1);
                assertThat(in[0] - in[1]).as("segments without data (SYN-ACK, ACK; no FIN alone)").isLessThanOrEqualTo(2);
            }
        });
    }

    /** {@code segs_in} and {@code data_segs_in} of the TCP socket in CLOSE-WAIT with local port {@code port}. */
    private static long[] segmentsIn(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-tinH", "state", "close-wait", "( sport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        var all = java.util.regex.Pattern.compile("(?<![a-z_])segs_in:(\\d+)").matcher(out);
        var data = java.util.regex.Pattern.compile("data_segs_in:(\\d+)").matcher(out);
        assertThat(all.find() && data.find()).as("ss output: %s", out).isTrue();
        return new long[] {Long.parseLong(all.group(1)), Long.parseLong(data.group(1))};
    }

    /**
     * Runs {@code client} against a server of one {@code return 200 "ok"} location with {@code directives}, then
     * waits until the server has no connection left.
     */
    private static void serve(String directives, Path dir, LoopServer.Client client) throws Exception {
        serveConf("http { server { " + directives + " location / { return 200 \"ok\"; } } }", dir, client);
    }

    /** Runs {@code client} against a server of the configuration {@code conf}, as {@link #serve} does. */
    private static void serveConf(String conf, Path dir, LoopServer.Client client) throws Exception {
        LoopServer.serve(conf, dir, Fixtures.QUIET, client);
    }

    @Test
    void anAcceptOutOfDescriptorsIsLoggedAndPausesTheListenerForHalfASecond(@TempDir Path dir) throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll (Netty's errors come from it)");
        HttpRuntime rt = Fixtures.runtime(serverConf(server().nest(Fixtures.prefix("/").ret(200, "ok")), "localhost"));
        ErrorLog log = ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.INFO), false);
        EmbeddedChannel listener = new EmbeddedChannel(new HttpAcceptor(rt, 0, new Connections(8, log), log));

        listener.pipeline().fireExceptionCaught(new Errors.NativeIoException("accept", -103));
        listener.runPendingTasks();
        assertThat(listener.isRegistered()).as("an aborted connection does not pause").isTrue();
        listener.pipeline().fireExceptionCaught(new Errors.NativeIoException("accept", -24));
        listener.runPendingTasks();
        // taken off the loop (its exclusive registration cannot be modified to stop reading)
        assertThat(listener.isRegistered()).isFalse();
        listener.advanceTimeBy(HttpAcceptor.PAUSE_MS - 1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.isRegistered()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.isRegistered()).as("accepting again after the pause").isTrue();
        assertThat(listener.isOpen()).isTrue();
        listener.pipeline().fireExceptionCaught(new IOException("odd"));
        listener.runPendingTasks();
        assertThat(listener.isRegistered()).isTrue();
        listener.checkException(); // handled here, not passed on

        assertThat(Files.readAllLines(dir.resolve("error.log")))
                .hasSize(3)
                .satisfiesExactly(
                        l -> assertThat(l).contains("[error]").endsWith("accept4() failed (103: Software caused "
                                + "connection abort)"),
                        l -> assertThat(l).contains("[crit]").endsWith("accept4() failed (24: Too many open files)"),
                        l -> assertThat(l).contains("[alert]").endsWith("accept4() failed (java.io.IOException: odd)"));
    }

    @Test
    void aConnectionThatCannotBeSetUpIsClosedAndTheListenerGoesOn(@TempDir Path dir) throws Exception {
        Connections conns = new Connections(8, errorLog(dir));
        EmbeddedChannel listener = embeddedListener(dir, conns);
        boolean[] broken = {false};
        EmbeddedChannel child = new EmbeddedChannel() {
            @Override
            public io.netty.channel.ChannelConfig config() {
                if (broken[0]) {
                    throw new IllegalStateException("no config");
                }
                return super.config();
            }
        };
        broken[0] = true;
        listener.writeInbound(child);
        listener.checkException(); // not passed on as an accept failure
        assertThat(child.isOpen()).isFalse();
        assertThat(conns.open()).isZero();
        assertThat(listener.config().isAutoRead()).isTrue();
        assertThat(Files.readString(dir.resolve("error.log"))).contains("[alert]")
                .contains("could not set up a connection: java.lang.IllegalStateException: no config")
                .doesNotContain("accept4()");
    }

    @Test
    void aConnectionItsLoopRefusesIsClosedAndGivesItsPlaceBack(@TempDir Path dir) throws Exception {
        Connections conns = new Connections(1, errorLog(dir));
        EmbeddedChannel listener = embeddedListener(dir, conns);
        EmbeddedChannel refused = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false) {
            @Override
            protected boolean isCompatible(EventLoop loop) {
                return false;
            }
        };
        listener.writeInbound(refused);
        listener.checkException();
        assertThat(refused.isOpen()).isFalse();
        assertThat(refused.pipeline().names()).doesNotContain("decoder", "encoder", "dispatcher");
        assertThat(conns.open()).isZero();
        EmbeddedChannel next = new EmbeddedChannel();
        listener.writeInbound(next);
        assertThat(conns.open()).as("the refused connection's place is free again").isEqualTo(1);
        assertThat(next.pipeline().get("decoder")).isNotNull();
    }

    @Test
    void aConnectionOverWorkerConnectionsIsRefusedBeforeAnythingIsBuiltForIt(@TempDir Path dir) throws Exception {
        Connections conns = new Connections(1, errorLog(dir));
        EmbeddedChannel listener = embeddedListener(dir, conns);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        listener.writeInbound(first);
        assertThat(conns.open()).isEqualTo(1);
        assertThat(first.pipeline().get("decoder")).isNotNull();
        listener.writeInbound(second);
        listener.checkException();
        assertThat(second.isOpen()).isFalse();
        assertThat(second.pipeline().names()).as("no handler built for a refused connection")
                .doesNotContain("decoder", "encoder", "dispatcher");
        assertThat(conns.open()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("error.log"))).contains("1 worker_connections are not enough");
    }

    private static ErrorLog errorLog(Path dir) throws IOException {
        return ErrorLog.open(new ErrorLogConf(Optional.of(dir.resolve("error.log")), LogLevel.INFO), false);
    }

    /** An acceptor serving {@code return 200 ok} for {@code conns}, logging to {@code dir}/error.log. */
    private static EmbeddedChannel embeddedListener(Path dir, Connections conns) throws IOException {
        HttpRuntime rt = Fixtures.runtime(serverConf(server().nest(Fixtures.prefix("/").ret(200, "ok")), "localhost"));
        return new EmbeddedChannel(new HttpAcceptor(rt, 0, conns, errorLog(dir)));
    }

    /** One response with a Content-Length body, read up to its end. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String h = head.toString();
        int at = h.toLowerCase().indexOf("content-length: ");
        int len = Integer.parseInt(h.substring(at + 16, h.indexOf('\r', at)).trim());
        return h + text(in.readNBytes(len));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
