package dev.pier.config.bind;

import dev.pier.config.Source;

import java.util.ArrayList;
import java.util.List;

/** A {@code server} block while binding. */
final class ServerBuilder {
    final Source source;
    private final LocationBuilder location;
    /** server_name may be repeated; the names add up. Empty means nginx's default {@code ""}. */
    final List<String> serverNames = new ArrayList<>();
    /** This server's addresses in the order of its listen lines. */
    final List<ListenAddress> listens = new ArrayList<>();

    ServerBuilder(Source source) {
        this.source = source;
        this.location = LocationBuilder.level(source);
    }

    LocationBuilder location() {
        return location;
    }

    List<String> names() {
        return serverNames.isEmpty() ? List.of("") : serverNames;
    }
}
