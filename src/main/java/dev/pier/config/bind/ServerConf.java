package dev.pier.config.bind;

import dev.pier.config.Source;

import java.util.List;
import java.util.Objects;

/**
 * A {@code server} block: its names as written ({@code example.com}, {@code *.example.com}, {@code .example.com},
 * {@code ~^regex$}, {@code ""}), the addresses it listens on, and its server-level {@link LocationConf} whose
 * {@code nested} list holds the top-level locations in file order.
 */
public record ServerConf(List<String> serverNames, List<ListenAddress> listens, LocationConf root, Source source) {
    public ServerConf {
        serverNames = List.copyOf(serverNames);
        listens = List.copyOf(listens);
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(source, "source");
    }
}
