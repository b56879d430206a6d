package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where bodies too big for memory go, per location after merging: {@code client_body_buffer_size} (how much of a
 * request body a proxy keeps in memory before spooling it) and {@code client_body_temp_path} (core module), and
 * {@code proxy_temp_path} (proxy module). The master creates both directories for the worker user, as nginx's
 * {@code ngx_create_paths} does.
 *
 * @param clientBodyBufferSize bytes; nginx's default is two pages, 16k on x86-64
 * @param clientBodyTempPath   {@code PREFIX/client_body_temp} unless set
 * @param proxyTempPath        {@code PREFIX/proxy_temp} unless set
 * @param clientBodyTempLevels the {@code L1 [L2 [L3]]} widths (1 or 2) of {@code client_body_temp_path}; empty = none
 * @param proxyTempLevels      the same for {@code proxy_temp_path}
 */
public record BodyTempConf(long clientBodyBufferSize, Path clientBodyTempPath, Path proxyTempPath,
                           List<Integer> clientBodyTempLevels, List<Integer> proxyTempLevels) {
    public BodyTempConf {
        if (clientBodyBufferSize < 0) {
            throw new IllegalArgumentException("negative client_body_buffer_size");
        }
        Objects.requireNonNull(clientBodyTempPath, "clientBodyTempPath");
        Objects.requireNonNull(proxyTempPath, "proxyTempPath");
        clientBodyTempLevels = List.copyOf(clientBodyTempLevels);
        proxyTempLevels = List.copyOf(proxyTempLevels);
    }

    /** Without levels. */
    public BodyTempConf(long clientBodyBufferSize, Path clientBodyTempPath, Path proxyTempPath) {
        this(clientBodyBufferSize, clientBodyTempPath, proxyTempPath, List.of(), List.of());
    }
}
