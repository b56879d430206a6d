package dev.pier.config.bind;

import java.util.Map;
import java.util.Objects;

/**
 * Every {@code upstream NAME { }} block of the http block, by name, in file order: the http-wide configuration of
 * {@link UpstreamConfModule}, read with {@code http.modules().get(UpstreamBlocks.class)}. Locations reach their group
 * through {@link ProxyConf.ProxyPass#upstream()}; this map is for tooling and status pages.
 */
public record UpstreamBlocks(Map<String, UpstreamConf> byName) {
    public static final UpstreamBlocks NONE = new UpstreamBlocks(Map.of());

    public UpstreamBlocks {
        Objects.requireNonNull(byName, "byName");
        byName = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byName));
    }
}
