package dev.pier.config.bind;

import dev.pier.config.Directive;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variables a configuration makes for itself, as nginx adds them to its variable table while reading the file:
 * every {@code set $name} and every named capture of a {@code rewrite}, {@code if} or {@code location} regex. Such a
 * variable exists for the whole http block, whichever level sets it.
 */
public final class DeclaredVariables {
    private DeclaredVariables() {
    }

    /** From the parsed directives, before binding (the binder's name check accepts uses before the set). */
    static Set<String> scan(List<Directive> directives) {
        Set<String> names = new HashSet<>();
        scan(directives, names);
        return Set.copyOf(names);
    }

    private static void scan(List<Directive> directives, Set<String> names) {
        for (Directive d : directives) {
            switch (d.name()) {
                case "set" -> {
                    String a = d.args().isEmpty() ? "" : d.args().getFirst();
                    if (a.length() > 1 && a.charAt(0) == '$') {
                        names.add(a.substring(1).toLowerCase(Locale.ROOT));
                    }
                }
                case "rewrite", "if", "location" -> d.args().forEach(a -> CaptureRegex.namesIn(a)
                        .forEach(n -> names.add(n.toLowerCase(Locale.ROOT))));
                default -> {
                }
            }
            scan(d.children(), names);
        }
    }

    /** From a bound http block: what the runtime's variable registry must resolve. */
    public static Set<String> of(HttpConf http) {
        Set<String> names = new HashSet<>();
        for (ServerConf s : http.servers()) {
            collect(s.root(), names);
        }
        return Set.copyOf(names);
    }

    private static void collect(LocationConf loc, Set<String> names) {
        loc.regex().ifPresent(p -> add(p, names));
        collect(loc.modules().get(RewriteConf.class).ops(), names);
        loc.nested().forEach(n -> collect(n, names));
    }

    private static void collect(List<RewriteOp> ops, Set<String> names) {
        for (RewriteOp op : ops) {
            switch (op) {
                case RewriteOp.Set set -> names.add(set.name());
                case RewriteOp.Rewrite r -> add(r.regex(), names);
                case RewriteOp.If i -> {
                    if (i.condition() instanceof RewriteCondition.Match m) {
                        add(m.regex(), names);
                    }
                    collect(i.body(), names);
                }
                default -> {
                }
            }
        }
    }

    private static void add(Pattern p, Set<String> names) {
        CaptureRegex.names(p).keySet().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
    }
}
