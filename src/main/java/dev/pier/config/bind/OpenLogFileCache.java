package dev.pier.config.bind;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code open_log_file_cache max=N [inactive=TIME] [min_uses=N] [valid=TIME]} (ngx_http_log_module): descriptors of
 * access logs whose paths have variables stay open across requests. A file used at least {@code minUses} times
 * within {@code inactive} keeps its descriptor; unused for {@code inactive} it is closed; after {@code valid} it is
 * re-opened by name (so a rotated file is left); beyond {@code max} open files the least recently used is closed.
 */
public record OpenLogFileCache(int max, Duration inactive, int minUses, Duration valid) {
    /** nginx's defaults for the optional parameters. */
    public static final Duration DEFAULT_INACTIVE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_VALID = Duration.ofSeconds(60);

    public OpenLogFileCache {
        Objects.requireNonNull(inactive, "inactive");
        Objects.requireNonNull(valid, "valid");
        if (max < 1 || minUses < 0) {
            throw new IllegalArgumentException("max " + max + ", min_uses " + minUses);
        }
    }
}
