package dev.pier.config.bind;

import dev.pier.config.ConfigSnapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A whole bound configuration: one generation's worth of settings. Immutable; built once per (re)load.
 *
 * @param source the exact file contents it was bound from ({@link ConfigSnapshot#EMPTY} when bound from text in
 *               memory): what the master hands its workers, so they never re-read a file that may have changed
 */
public record PierConfig(Path prefix, Path file, MainConf main, EventsConf events, HttpConf http,
                         ConfigSnapshot source) {
    public PierConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(main, "main");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(http, "http");
    }

    /** The same configuration, remembering the files it was read from. */
    public PierConfig withSource(ConfigSnapshot snapshot) {
        return new PierConfig(prefix, file, main, events, http, snapshot);
    }

    public List<ListenSpec> listenSpecs() {
        return http.listeners().stream().map(Listener::spec).toList();
    }
}
