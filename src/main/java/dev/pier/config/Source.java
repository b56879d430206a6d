package dev.pier.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where a directive was written: the file and 1-based line, printed the nginx way as {@code file:line}. */
public record Source(Path file, int line) {
    public Source {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
