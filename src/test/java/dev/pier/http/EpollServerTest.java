package dev.pier.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real epoll server on a loopback ephemeral port serving a static file through sendfile. */
class EpollServerTest {

    @Test
    void closedConnectionsLeaveNoTimersInTheEventLoop() throws Exception {
        // a connection's timer task left queued keeps the whole connection reachable until it fires (a minute of
        // client_header_timeout): under a stream of short connections the worker's heap filled with closed ones
        assumeTrue(Epoll.isAvailable(), "native epoll");
        HttpRuntime rt = Fixtures.runtime(serverConf(server().nest(Fixtures.prefix("/").ret(200, "ok")), "localhost"));
        Connections conns = new Connections(64, Fixtures.QUIET);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new HttpServerInitializer(rt, 0, conns))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            for (int i = 0; i < 50; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .startsWith("HTTP/1.1 200");
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (conns.open() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(conns.open()).isZero();
            assertThat(scheduledTasks(listener)).as("timer tasks left after 50 closed connections").isLessThan(5);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    /** The size of the event loop's timer queue, read on the loop (Netty keeps it in a protected field). */
    private static int scheduledTasks(Channel ch) throws Exception {
        return ch.eventLoop().submit(() -> {
            java.lang.reflect.Field f = io.netty.util.concurrent.AbstractScheduledEventExecutor.class
                    .getDeclaredField("scheduledTaskQueue");
            f.setAccessible(true);
            java.util.Collection<?> q = (java.util.Collection<?>) f.get(ch.eventLoop());
            return q == null ? 0 : q.size();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void servesStaticFileOverLoopback(@TempDir Path root) throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Files.write(root.resolve("big.bin"), data);
        Files.writeString(root.resolve("index.html"), "home");
        HttpRuntime rt = Fixtures.runtime(serverConf(server().root(root), "localhost"));
        Connections conns = new Connections(64, Fixtures.QUIET);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new HttpServerInitializer(rt, 0, conns))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/big.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.headers().firstValue("server")).hasValue("pier/0.1.0");
            assertThat(big.headers().firstValue("content-length")).hasValue(Integer.toString(data.length));
            assertThat(big.body()).isEqualTo(data);
            // sent by sendfile from the file's descriptor (SendfileRegion): a range starts at its offset
            HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/big.bin")).header("Range", "bytes=100001-2500000")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 100001, 2500001));

            // raw socket: two pipelined requests on one connection, then the server's $server_port in a redirect
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        + "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // EOF: server closed
                assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(3);
                assertThat(all).contains("Connection: close\r\nETag: \"").endsWith("Accept-Ranges: bytes\r\n\r\nhome");
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /missing-dir HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(res).startsWith("HTTP/1.1 404 Not Found");
            }

            listener.close().sync();
            conns.beginGracefulShutdown();
            client.close();
            conns.allClosed().get(10, TimeUnit.SECONDS);
            assertThat(conns.open()).isZero();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
