package dev.pier.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a directive was written: the file and 1-based line, printed the nginx way as {@code file:line}.
 *
 * <p>Line 0 means "no line": the directive came from somewhere other than a file, such as {@code -g "..."}. Such a
 * source prints as its name alone, so {@link #commandLine()} prints {@code command line} and an error reads
 * {@code ... in command line}, exactly as nginx's {@code ngx_conf_log_error} words errors in {@code -g} directives.
 */
public record Source(Path file, int line) {
    private static final Source COMMAND_LINE = new Source(Path.of("command line"), 0);

    public Source {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    /** The origin of directives given with {@code -g}. */
    public static Source commandLine() {
        return COMMAND_LINE;
    }

    @Override
    public String toString() {
        return line == 0 ? file.toString() : file + ":" + line;
    }
}
