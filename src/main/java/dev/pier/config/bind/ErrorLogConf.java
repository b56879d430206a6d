package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** {@code error_log FILE|stderr [level]}: {@code file} is empty for stderr; relative paths are already resolved. */
public record ErrorLogConf(Optional<Path> file, LogLevel level) {
    public ErrorLogConf {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(level, "level");
    }

    public static ErrorLogConf stderr(LogLevel level) {
        return new ErrorLogConf(Optional.empty(), level);
    }
}
