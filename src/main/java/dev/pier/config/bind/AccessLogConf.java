package dev.pier.config.bind;

import java.util.List;

/** A level's access logs after merging; empty after {@code access_log off}. */
public record AccessLogConf(List<AccessLogTarget> logs) {
    public AccessLogConf {
        logs = List.copyOf(logs);
    }
}
