package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.UpstreamConf;
import dev.pier.http.proxy.dns.DnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the upstream of a {@code proxy_pass} with variables for one request, in nginx's order
 * ({@code ngx_http_upstream_init_request}): a {@code unix:} path or an IP literal is used as is; a host given without
 * a port that names an {@code upstream} block uses that block; any other name is asked of {@code resolver}
 * (asynchronously, on the request's event loop), and without one the answer is 502 with nginx's
 * "no resolver defined to resolve HOST". Addresses found this way form a one-off round-robin group, like nginx's
 * {@code ngx_http_upstream_create_round_robin_peer}: no keep-alive pool, no health kept between requests.
 */
final class ProxyEval {
    private ProxyEval() {
    }

    static void target(ProxyRequest r) {
        ProxyLocation loc = r.loc;
        String rendered = loc.url.render(r.ex);
        ProxyUrl u = ProxyUrl.parse(rendered);
        if (u == null) {
            r.failBeforeConnect("invalid URL prefix in \"" + rendered + "\"", 500);
            return;
        }
        r.evaluated(new ProxyTarget(u.hostHeader(), u.port(), u.ssl(), u.host()), u.uri());
        if (u.unixPath() != null) {
            found(r, u, List.of(UnixDomainSocketAddress.of(u.unixPath())));
            return;
        }
        InetAddress literal = u.literal();
        if (literal != null) {
            found(r, u, List.of(new InetSocketAddress(literal, u.port())));
            return;
        }
        UpstreamGroup named = u.portGiven() ? null : loc.named.get(u.host().toLowerCase(Locale.ROOT));
        if (named != null) {
            r.upstreamFound(named);
            return;
        }
        DnsResolver resolver = loc.resolver;
        if (resolver == null) {
            r.failBeforeConnect("no resolver defined to resolve " + u.host(), 502);
            return;
        }
        boolean epoll = BackendBootstrap.onEpoll(r.client);
        resolver.resolve(u.host(), r.client.eventLoop(), epoll).addListener(f -> {
            if (r.done()) {
                return;
            }
            if (!f.isSuccess()) {
                String why = f.cause() instanceof DnsResolver.ResolveException e ? e.describe()
                        : "2: Server failure";
                r.failBeforeConnect(u.host() + " could not be resolved (" + why + ")", 502);
                return;
            }
            List<SocketAddress> addrs = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<InetAddress> found = (List<InetAddress>) f.getNow();
            for (InetAddress a : found) {
                addrs.add(new InetSocketAddress(a, u.port()));
            }
            found(r, u, addrs);
        });
    }

    private static void found(ProxyRequest r, ProxyUrl u, List<SocketAddress> addresses) {
        String name = u.unixPath() != null ? u.host() : u.host() + ":" + u.port();
        UpstreamConf conf = new UpstreamConf(name, List.of(new UpstreamConf.Server(name, addresses, 1, 1,
                Duration.ofSeconds(10), false, false, 0)), new UpstreamConf.Balancing.RoundRobin(),
                UpstreamConf.Keepalive.NONE, true, r.loc.source);
        try {
            r.upstreamFound(new UpstreamGroup(conf));
        } catch (ConfigException e) {
            throw new IllegalStateException(e); // round-robin has no key to compile
        }
    }
}
