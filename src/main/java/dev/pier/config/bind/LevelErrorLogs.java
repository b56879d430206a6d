package dev.pier.config.bind;

import java.util.List;

/**
 * The {@code error_log} lines of an http, server or location level after merging (nginx's
 * {@code clcf->error_log}): a level with its own lines uses only those; one without inherits its parent's; empty
 * means the main level's {@code error_log}, which the worker's process log already is.
 */
public record LevelErrorLogs(List<ErrorLogConf> logs) {
    public static final LevelErrorLogs MAIN = new LevelErrorLogs(List.of());

    public LevelErrorLogs {
        logs = List.copyOf(logs);
    }
}
