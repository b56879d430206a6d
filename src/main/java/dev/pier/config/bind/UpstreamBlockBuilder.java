package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;
import dev.pier.config.Source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One {@code upstream} block while its directives are bound; {@link #build} checks it as nginx's init does. */
final class UpstreamBlockBuilder {
    final String name;
    final Source source;
    final List<Directive> servers = new ArrayList<>();
    private UpstreamConf.Balancing balancing = new UpstreamConf.Balancing.RoundRobin();
    final Slot<Integer> keepalive = new Slot<>();
    final Slot<Integer> keepaliveRequests = new Slot<>();
    final Slot<Duration> keepaliveTimeout = new Slot<>();
    final Slot<Duration> keepaliveTime = new Slot<>();

    UpstreamBlockBuilder(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    /** A later method replaces an earlier one (nginx warns "load balancing method redefined" and does the same). */
    void balancing(UpstreamConf.Balancing b) {
        this.balancing = b;
    }

    UpstreamConf build(BindEnvironment.Resolver resolver) throws ConfigException {
        if (servers.isEmpty()) {
            throw new ConfigException("no servers are inside upstream", source);
        }
        boolean hashing = !(balancing instanceof UpstreamConf.Balancing.RoundRobin
                || balancing instanceof UpstreamConf.Balancing.LeastConn);
        List<UpstreamConf.Server> parsed = new ArrayList<>(servers.size());
        for (Directive d : servers) {
            UpstreamConf.Server s = UpstreamServerParser.parse(d, resolver);
            // hash, ip_hash and random have no backup servers in nginx (ngx_http_upstream_server refuses the flag)
            if (s.backup() && hashing) {
                throw Errors.at(d, "invalid parameter \"backup\"");
            }
            parsed.add(s);
        }
        UpstreamConf.Keepalive d = UpstreamConf.Keepalive.NONE;
        UpstreamConf.Keepalive k = new UpstreamConf.Keepalive(keepalive.orElse(0),
                keepaliveRequests.orElse(d.requests()), keepaliveTimeout.orElse(d.timeout()),
                keepaliveTime.orElse(d.time()));
        return new UpstreamConf(name, parsed, balancing, k, false, source);
    }
}
