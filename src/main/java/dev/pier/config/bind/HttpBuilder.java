package dev.pier.config.bind;

import dev.pier.config.Source;

import java.util.ArrayList;
import java.util.List;

/** The {@code http} block while binding: its own location-level settings, its servers and their listen table. */
final class HttpBuilder {
    private final LocationBuilder location;
    final List<ServerBuilder> servers = new ArrayList<>();
    final ListenTable listens = new ListenTable();

    HttpBuilder(Source source) {
        this.location = LocationBuilder.level(source);
    }

    LocationBuilder location() {
        return location;
    }
}
