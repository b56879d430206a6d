package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code server} line of an {@code upstream} block ({@code ngx_http_upstream_server}):
 * {@code ADDRESS [weight=N] [max_fails=N] [fail_timeout=TIME] [backup] [down] [max_conns=N]}; the address is
 * {@code host[:port]} (port 80 by default) resolved now to every address, as nginx does at configuration time.
 */
public final class UpstreamServerParser {
    private UpstreamServerParser() {
    }

    public static UpstreamConf.Server parse(Directive d, BindEnvironment.Resolver resolver) throws ConfigException {
        List<String> a = d.args();
        int weight = 1;
        int maxFails = 1;
        int maxConns = 0;
        Duration failTimeout = Duration.ofSeconds(10);
        boolean backup = false;
        boolean down = false;
        for (String p : a.subList(1, a.size())) {
            long v;
            if (p.startsWith("weight=")) {
                v = Values.number(p.substring(7));
                if (v < 1 || v > Integer.MAX_VALUE) {
                    throw invalid(d, p);
                }
                weight = (int) v;
            } else if (p.startsWith("max_fails=")) {
                v = Values.number(p.substring(10));
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw invalid(d, p);
                }
                maxFails = (int) v;
            } else if (p.startsWith("max_conns=")) {
                v = Values.number(p.substring(10));
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw invalid(d, p);
                }
                maxConns = (int) v;
            } else if (p.startsWith("fail_timeout=")) {
                v = Values.sec(p.substring(13));
                if (v < 0) {
                    throw invalid(d, p);
                }
                failTimeout = Duration.ofSeconds(v);
            } else if (p.equals("backup")) {
                backup = true;
            } else if (p.equals("down")) {
                down = true;
            } else {
                throw invalid(d, p);
            }
        }
        String addr = a.getFirst();
        if (addr.regionMatches(true, 0, "unix:", 0, 5)) {
            return new UpstreamConf.Server(addr, List.of(unix(addr.substring(5), d)), weight, maxFails, failTimeout,
                    backup, down, maxConns);
        }
        int colon = addr.lastIndexOf(':');
        String host = addr;
        int port = 80;
        if (colon >= 0 && !addr.endsWith("]")) {
            long p = Values.number(addr.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw Errors.at(d, "invalid port in upstream " + Errors.q(addr));
            }
            host = addr.substring(0, colon);
            port = (int) p;
        }
        return new UpstreamConf.Server(addr, addresses(host, port, resolver, d), weight, maxFails, failTimeout,
                backup, down, maxConns);
    }

    /**
     * {@code unix:/path}: a Unix domain socket (nginx's {@code ngx_parse_unix_domain_url}); the path must fit
     * {@code sun_path} (108 bytes with its NUL), else nginx's "too long path in the unix domain socket".
     */
    static SocketAddress unix(String path, Directive d) throws ConfigException {
        if (path.isEmpty()) {
            throw Errors.at(d, "no path in the unix domain socket");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 108) {
            throw Errors.at(d, "too long path in the unix domain socket");
        }
        return UnixDomainSocketAddress.of(path);
    }

    /** The one server of an implicit upstream ({@code proxy_pass http://unix:/path:}). */
    static UpstreamConf.Server implicitUnix(String path, Directive d) throws ConfigException {
        return new UpstreamConf.Server("unix:" + path, List.of(unix(path, d)), 1, 1, Duration.ofSeconds(10), false,
                false, 0);
    }

    /** The one server of an implicit upstream ({@code proxy_pass http://host:port}). */
    static UpstreamConf.Server implicitServer(String host, int port, BindEnvironment.Resolver resolver, Directive d)
            throws ConfigException {
        return new UpstreamConf.Server(host + ":" + port, addresses(host, port, resolver, d), 1, 1,
                Duration.ofSeconds(10), false, false, 0);
    }

    private static List<SocketAddress> addresses(String host, int port, BindEnvironment.Resolver resolver,
                                                 Directive d) throws ConfigException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<SocketAddress> out = new ArrayList<>();
        InetAddress literal = ListenUrl.ipv4Literal(bare);
        if (literal != null) {
            out.add(new InetSocketAddress(literal, port));
            return out;
        }
        try {
            for (InetAddress ia : resolver.resolve(bare)) {
                out.add(new InetSocketAddress(ia, port));
            }
        } catch (UnknownHostException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            throw Errors.at(d, "host not found in upstream " + Errors.q(host + (port == 80 ? "" : ":" + port)));
        }
        return out;
    }

    private static ConfigException invalid(Directive d, String p) {
        return Errors.at(d, "invalid parameter " + Errors.q(p));
    }
}
