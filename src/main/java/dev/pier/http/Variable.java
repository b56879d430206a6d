package dev.pier.http;

import java.util.Objects;
import java.util.Optional;

/**
 * A variable resolved once, when a template is compiled: its name and its getter. Names come from the
 * {@link Variables} registry, which modules extend through {@link VariableSource}.
 */
public record Variable(String name, VariableGetter getter) {
    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(getter, "getter");
    }

    /** The value for templates: the empty string when not found. */
    public String value(Exchange ex) {
        String v = getter.get(ex);
        return v == null ? "" : v;
    }

    /** The value, {@code null} when not found (the access log writes {@code -}). */
    public String raw(Exchange ex) {
        return getter.get(ex);
    }

    /** nginx's name ({@code nginxName()} kept for callers written against the old enum). */
    public String nginxName() {
        return name;
    }

    /** Resolves {@code name} with the standard registry. */
    public static Optional<Variable> byName(String name) {
        return Variables.standard().resolve(name);
    }
}
