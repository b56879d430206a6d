package dev.pier.config.bind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every directive table Pier knows, by name. A name may have several rows for different contexts ({@code error_log}
 * in main and in http), as in nginx where two modules may declare one name.
 */
public final class Directives {
    private Directives() {
    }

    private static final Map<String, List<DirectiveSpec>> BY_NAME = index(Stream.of(
            CoreDirectives.SPECS, HttpCoreDirectives.SPECS, RewriteDirectives.SPECS, HeadersDirectives.SPECS,
            MimeDirectives.SPECS, ConfModules.all().stream().flatMap(m -> m.directives().stream()).toList())
            .flatMap(List::stream).toList());

    private static Map<String, List<DirectiveSpec>> index(List<DirectiveSpec> all) {
        Map<String, List<DirectiveSpec>> m = new HashMap<>();
        for (DirectiveSpec spec : all) {
            m.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(spec);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(m);
    }

    /** The rows named {@code name}; empty for an unknown directive. */
    public static List<DirectiveSpec> named(String name) {
        return BY_NAME.getOrDefault(name, List.of());
    }
}
