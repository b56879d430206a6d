package dev.pier.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * nginx's {@code ngx_http_variables}: every named variable and prefix family of the given sources, resolved by name
 * when a template is compiled. A later source may not redefine a name (a programming error, caught at start-up).
 * Immutable and shared.
 */
public final class Variables {
    private static volatile Variables standard;

    private final Map<String, VariableGetter> named;
    /** Longest prefix first, so {@code sent_http_} wins over a hypothetical {@code sent_}. */
    private final List<Map.Entry<String, Function<String, VariableGetter>>> prefixes;

    private Variables(Map<String, VariableGetter> named,
                      List<Map.Entry<String, Function<String, VariableGetter>>> prefixes) {
        this.named = Map.copyOf(named);
        this.prefixes = List.copyOf(prefixes);
    }

    public static Variables of(List<VariableSource> sources) {
        Map<String, VariableGetter> named = new HashMap<>();
        Map<String, Function<String, VariableGetter>> pre = new HashMap<>();
        for (VariableSource s : sources) {
            s.variables().forEach((k, v) -> {
                if (named.putIfAbsent(k, v) != null) {
                    throw new IllegalStateException("variable \"" + k + "\" defined twice");
                }
            });
            s.prefixes().forEach((k, v) -> {
                if (!k.endsWith("_") || pre.putIfAbsent(k, v) != null) {
                    throw new IllegalStateException("bad or duplicate variable prefix \"" + k + "\"");
                }
            });
        }
        List<Map.Entry<String, Function<String, VariableGetter>>> sorted = new ArrayList<>(pre.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, ?> e) -> e.getKey().length()).reversed());
        return new Variables(named, sorted);
    }

    /** The registry of {@link StandardModules#variableSources()}, built once. */
    public static Variables standard() {
        Variables v = standard;
        if (v == null) {
            v = of(StandardModules.variableSources());
            standard = v;
        }
        return v;
    }

    /** The variable {@code $name} (case-insensitive, as nginx), or empty when no source defines it. */
    public Optional<Variable> resolve(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        VariableGetter g = named.get(n);
        if (g != null) {
            return Optional.of(new Variable(n, g));
        }
        if (UserVariables.declared(n)) {
            // set $name and named captures; checked before the prefix families as nginx's hash comes first
            return Optional.of(new Variable(n, UserVariables.getter(n)));
        }
        for (var e : prefixes) {
            if (n.length() > e.getKey().length() && n.startsWith(e.getKey())) {
                return Optional.of(new Variable(n, e.getValue().apply(n.substring(e.getKey().length()))));
            }
        }
        return Optional.empty();
    }

    /** Every full name and prefix (with its {@code _}), for the binder catalogue's consistency test. */
    public java.util.Set<String> names() {
        java.util.Set<String> all = new java.util.HashSet<>(named.keySet());
        prefixes.forEach(e -> all.add(e.getKey()));
        return all;
    }
}
