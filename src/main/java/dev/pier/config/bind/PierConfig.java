package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** A whole bound configuration: one generation's worth of settings. Immutable; built once per (re)load. */
public record PierConfig(Path prefix, Path file, MainConf main, EventsConf events, HttpConf http) {
    public PierConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(main, "main");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(http, "http");
    }

    public List<ListenSpec> listenSpecs() {
        return http.listeners().stream().map(Listener::spec).toList();
    }
}
