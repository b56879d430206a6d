package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One row of a directive table, like an {@code ngx_command_t}: the name, the contexts it is allowed in, how many
 * arguments it takes, whether it opens a block, and the setter that stores it in the current level's builder.
 */
public record DirectiveSpec(String name, Set<Context> contexts, Arity arity, boolean block, Setter setter) {

    /** Stores one directive into the builders reachable from {@code scope}; throws with nginx's error text. */
    @FunctionalInterface
    public interface Setter {
        void set(Directive directive, Scope scope) throws ConfigException;
    }

    public DirectiveSpec {
        Objects.requireNonNull(name, "name");
        contexts = Set.copyOf(contexts);
        Objects.requireNonNull(arity, "arity");
        Objects.requireNonNull(setter, "setter");
    }

    public static DirectiveSpec simple(String name, Arity arity, Setter setter, Context first, Context... rest) {
        return new DirectiveSpec(name, EnumSet.of(first, rest), arity, false, setter);
    }

    public static DirectiveSpec block(String name, Arity arity, Setter setter, Context first, Context... rest) {
        return new DirectiveSpec(name, EnumSet.of(first, rest), arity, true, setter);
    }
}
