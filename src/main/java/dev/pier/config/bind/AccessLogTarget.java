package dev.pier.config.bind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code access_log PATH [FORMAT [buffer=SIZE] [flush=TIME] [if=COND]]} line.
 *
 * @param bufferSize bytes to gather before writing; 0 writes each line at once
 * @param flush      the longest a buffered line waits; {@code Duration.ZERO} without {@code flush=}
 * @param condition  {@code if=}: the line is skipped when this template renders to "" or "0"
 * @param template   a path with variables (already under the prefix when relative), rendered per request and
 *                   opened by the worker (nginx: never buffered, the worker user creates the file); {@link #path}
 *                   is then the same text, for messages only
 */
public record AccessLogTarget(Path path, LogFormat format, long bufferSize, Duration flush,
                              Optional<String> condition, Optional<String> template) {
    public AccessLogTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(flush, "flush");
        Objects.requireNonNull(condition, "condition");
        if (bufferSize < 0) {
            throw new IllegalArgumentException("bufferSize " + bufferSize);
        }
        if (template.isPresent() && bufferSize > 0) {
            throw new IllegalArgumentException("buffered logs cannot have variables in name");
        }
    }

    /** A file path without variables. */
    public AccessLogTarget(Path path, LogFormat format, long bufferSize, Duration flush, Optional<String> condition) {
        this(path, format, bufferSize, flush, condition, Optional.empty());
    }
}
