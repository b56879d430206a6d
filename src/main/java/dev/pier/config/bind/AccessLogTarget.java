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
 */
public record AccessLogTarget(Path path, LogFormat format, long bufferSize, Duration flush,
                              Optional<String> condition) {
    public AccessLogTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(flush, "flush");
        Objects.requireNonNull(condition, "condition");
        if (bufferSize < 0) {
            throw new IllegalArgumentException("bufferSize " + bufferSize);
        }
    }
}
