package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ServerConf;

import java.util.List;

/** A {@code server} block compiled once per generation, shared by every address it listens on. */
public final class VirtualServer {
    private final ServerConf conf;
    private final LocationTree locations;
    private final String primaryName;

    private VirtualServer(ServerConf conf, LocationTree locations) {
        this.conf = conf;
        this.locations = locations;
        this.primaryName = conf.serverNames().isEmpty() ? "" : conf.serverNames().getFirst();
    }

    public static VirtualServer compile(ServerConf conf, List<HttpModule> modules) throws ConfigException {
        return new VirtualServer(conf, LocationTree.compile(conf.root(), modules));
    }

    public static VirtualServer compile(ServerConf conf, List<HttpModule> modules, AccessLogs files)
            throws ConfigException {
        return new VirtualServer(conf, LocationTree.compile(conf.root(), modules, files));
    }

    public ServerConf conf() {
        return conf;
    }

    public LocationTree locations() {
        return locations;
    }

    /** The first {@code server_name} ({@code $server_name}; nginx's fallback for {@code $host}). */
    public String primaryName() {
        return primaryName;
    }
}
