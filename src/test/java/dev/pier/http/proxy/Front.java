package dev.pier.http.proxy;

import dev.pier.config.Source;
import dev.pier.config.bind.HttpConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.UpstreamConf;
import dev.pier.http.Connections;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.HttpServerInitializer;
import dev.pier.log.ErrorLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Pier's HTTP pipeline on an epoll server at 127.0.0.1:0 with the proxy module; {@code locations} maps a location
 * prefix to its {@link ProxyConf}. The error log goes to a file the test can read.
 */
final class Front implements AutoCloseable {
    static final Source SRC = new Source(Path.of("/test/pier.conf"), 1);
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    final Channel listener;
    final Path logFile;

    Front(Map<String, ProxyConf> locations) throws Exception {
        logFile = Files.createTempFile("pier-proxy", ".log");
        ErrorLog log = ErrorLog.open(new dev.pier.config.bind.ErrorLogConf(Optional.of(logFile),
                dev.pier.config.bind.LogLevel.INFO), false);
        Fixtures.Loc server = Fixtures.server();
        for (String prefix : locations.keySet()) {
            server.nest(prefix.startsWith("~") ? Fixtures.regex(prefix.substring(1)) : Fixtures.prefix(prefix));
        }
        ServerConf sc = Fixtures.serverConf(server, "localhost");
        HttpConf http = Fixtures.http(sc);
        ProxyModule module = new ProxyModule(loc -> Optional.ofNullable(locations.get(
                (loc.match() == dev.pier.config.bind.LocationMatch.REGEX ? "~" : "") + loc.pattern())));
        HttpRuntime rt = HttpRuntime.compile(http, log, List.of(module));
        listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new HttpServerInitializer(rt, 0, new Connections(1024, log)))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    String log() throws java.io.IOException {
        return Files.readString(logFile);
    }

    @Override
    public void close() throws Exception {
        listener.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        Files.deleteIfExists(logFile);
    }

    // ---- config helpers ----

    static UpstreamConf.Server server(Backend b) {
        return server(b.port(), 1);
    }

    static UpstreamConf.Server server(int port, int weight) {
        return new UpstreamConf.Server("127.0.0.1:" + port, List.of(new InetSocketAddress("127.0.0.1", port)),
                weight, 1, Duration.ofSeconds(10), false, false, 0);
    }

    static UpstreamConf upstream(String name, UpstreamConf.Balancing b, UpstreamConf.Keepalive k,
                                 UpstreamConf.Server... servers) {
        return new UpstreamConf(name, List.of(servers), b, k, false, SRC);
    }

    static UpstreamConf implicit(int port) {
        return new UpstreamConf("127.0.0.1:" + port, List.of(server(port, 1)), new UpstreamConf.Balancing.RoundRobin(),
                UpstreamConf.Keepalive.NONE, true, SRC);
    }

    /** proxy_pass http://HOST[URI] in location {@code location}, with {@code edit} applied to the defaults. */
    static ProxyConf pass(UpstreamConf up, String hostHeader, int port, String uri, String location,
                          UnaryOperator<Cfg> edit) {
        Cfg c = edit.apply(new Cfg());
        ProxyConf.ProxyPass pp = new ProxyConf.ProxyPass("http://" + hostHeader + (uri == null ? "" : uri),
                hostHeader, port, true, hostHeader, Optional.ofNullable(uri), location, Optional.of(up));
        ProxyConf d = ProxyConf.DEFAULT;
        return new ProxyConf(Optional.of(pp), c.version, c.headers, true, true, d.hideHeaders(), d.passHeaders(),
                c.connect, c.read, d.sendTimeout(), c.next, c.tries, d.nextUpstreamTimeout(), c.buffering,
                d.bufferBytes(), d.redirects(), false, d.ignoreHeaders(), d.bufferSize(), c.requestBuffering, List.of(),
                List.of());
    }

    static final class Cfg {
        String version = "1.0";
        List<ProxyConf.SetHeader> headers = new ArrayList<>();
        Duration connect = Duration.ofSeconds(5);
        Duration read = Duration.ofSeconds(10);
        java.util.Set<ProxyConf.NextUpstream> next = java.util.Set.of(ProxyConf.NextUpstream.ERROR,
                ProxyConf.NextUpstream.TIMEOUT);
        int tries = 0;
        boolean buffering = true;
        boolean requestBuffering = true;

        Cfg header(String n, String v) {
            headers.add(new ProxyConf.SetHeader(n, v));
            return this;
        }

        Cfg v11() {
            version = "1.1";
            return this;
        }

        Cfg read(Duration d) {
            read = d;
            return this;
        }

        Cfg next(ProxyConf.NextUpstream... n) {
            next = java.util.Set.of(n);
            return this;
        }

        Cfg buffering(boolean on) {
            buffering = on;
            return this;
        }

        Cfg requestBuffering(boolean on) {
            requestBuffering = on;
            return this;
        }
    }
}
