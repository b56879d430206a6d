package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.ResolverConf;
import dev.pier.config.bind.UpstreamBlocks;
import dev.pier.config.bind.UpstreamConf;
import dev.pier.http.proxy.dns.DnsResolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The proxy module: a location with {@code proxy_pass} gets a content handler that proxies. One instance per
 * configuration generation, so every location proxying to one upstream block shares its peers' health state.
 */
public final class ProxyModule implements HttpModule {
    private final Function<LocationConf, Optional<ProxyConf>> confs;
    private final Map<UpstreamConf, UpstreamGroup> groups = new IdentityHashMap<>();
    private final Map<ResolverConf, DnsResolver> resolvers = new HashMap<>();

    /** @param confs how to find a location's merged {@link ProxyConf} */
    public ProxyModule(Function<LocationConf, Optional<ProxyConf>> confs) {
        this.confs = confs;
    }

    @Override
    public Optional<PhaseHandler> content(LocationConf loc) throws ConfigException {
        Optional<ProxyConf> conf = confs.apply(loc);
        if (conf.isEmpty() || conf.get().pass().isEmpty()) {
            return Optional.empty();
        }
        ProxyConf.ProxyPass pass = conf.get().pass().get();
        if (pass.variables()) {
            Map<String, UpstreamGroup> named = new HashMap<>();
            for (UpstreamConf block : loc.modules().get(UpstreamBlocks.class).byName().values()) {
                named.put(block.name().toLowerCase(Locale.ROOT), group(block));
            }
            return Optional.of(new ProxyLocation(loc, conf.get(), null, named,
                    resolver(loc.modules().get(ResolverConf.class))));
        }
        UpstreamConf up = pass.upstream().orElseThrow(
                () -> new ConfigException("no upstream for \"" + pass.url() + "\"", loc.source()));
        return Optional.of(new ProxyLocation(loc, conf.get(), group(up), Map.of(), null));
    }

    private UpstreamGroup group(UpstreamConf up) throws ConfigException {
        UpstreamGroup group = groups.get(up);
        if (group == null) {
            group = new UpstreamGroup(up);
            groups.put(up, group);
        }
        return group;
    }

    /** Closes the idle upstream connections of every upstream block this generation compiled. */
    @Override
    public void exiting() {
        for (UpstreamGroup g : groups.values()) {
            g.exiting();
        }
    }

    /** One DNS client per distinct {@code resolver} line of the generation, so its cache is shared. */
    private DnsResolver resolver(ResolverConf r) {
        if (!r.defined()) {
            return null;
        }
        return resolvers.computeIfAbsent(r, c -> new DnsResolver(c.servers(), c.valid().map(Duration::toMillis)
                .orElse(-1L), c.ipv4(), c.ipv6(), c.timeout().toMillis()));
    }
}
