package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A level's access logs after merging; empty after {@code access_log off}. {@code openLogFileCache} is the level's
 * {@code open_log_file_cache} (empty: {@code off}, nginx's default), used by logs whose paths have variables.
 */
public record AccessLogConf(List<AccessLogTarget> logs, Optional<OpenLogFileCache> openLogFileCache) {
    public AccessLogConf {
        logs = List.copyOf(logs);
        Objects.requireNonNull(openLogFileCache, "openLogFileCache");
    }

    public AccessLogConf(List<AccessLogTarget> logs) {
        this(logs, Optional.empty());
    }
}
