package dev.pier.config;

import java.util.List;
import java.util.Objects;

/**
 * One parsed directive: its name, its arguments as written (quotes removed, escapes resolved, variables such as
 * {@code $host} kept as text) and, for a block directive, its children. {@code block} is {@code null} for a directive
 * that ended with {@code ;} and a (possibly empty) list for one that opened {@code {}}.
 */
public record Directive(String name, List<String> args, List<Directive> block, Source source) {
    public Directive {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
        Objects.requireNonNull(source, "source");
    }

    public static Directive simple(String name, List<String> args, Source source) {
        return new Directive(name, args, null, source);
    }

    public boolean isBlock() {
        return block != null;
    }

    /** The children of a block, or an empty list for a simple directive. */
    public List<Directive> children() {
        return block == null ? List.of() : block;
    }
}
