package dev.pier.http;

import dev.pier.config.bind.RewriteConf;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Variables a configuration makes ({@code set $name}, named regex captures), nginx's changeable variables kept in
 * {@code r->variables}: their names are declared once per generation, before any template compiles, and resolve in
 * {@link Variables} like built-in ones; their values live on the {@link Exchange} and survive internal redirects.
 * Declared names only accumulate: a worker serves one generation, and the binder rejects unknown names anyway.
 */
public final class UserVariables {
    private static final Set<String> DECLARED = ConcurrentHashMap.newKeySet();
    private static final ExchangeSlot<Values> VALUES = ExchangeSlot.create("user_variables", Values.class);

    /** The values one request has set, by lower-case name. */
    static final class Values {
        final Map<String, String> byName = new HashMap<>(8);
    }

    private UserVariables() {
    }

    /** Makes {@code names} (lower case) resolvable. */
    public static void declare(Collection<String> names) {
        DECLARED.addAll(names);
    }

    static boolean declared(String name) {
        return DECLARED.contains(name);
    }

    /** {@code set $name value} for this request. */
    public static void set(Exchange ex, String name, String value) {
        Values v = ex.get(VALUES);
        if (v == null) {
            v = new Values();
            ex.put(VALUES, v);
        }
        v.byName.put(name, value);
    }

    /** The value set for this request, {@code null} when nothing set it yet. */
    public static String get(Exchange ex, String name) {
        Values v = ex.get(VALUES);
        return v == null ? null : v.byName.get(name);
    }

    /** A regex matched: each of its named groups becomes a variable (an unmatched group is empty), as nginx. */
    public static void captures(Exchange ex, Map<String, Integer> names, String[] groups) {
        names.forEach((name, group) -> {
            String g = group < groups.length ? groups[group] : null;
            set(ex, name.toLowerCase(java.util.Locale.ROOT), g == null ? "" : g);
        });
    }

    /**
     * nginx's {@code ngx_http_rewrite_var}: a variable read before anything set it is empty, with a {@code warn}
     * line unless the location says {@code uninitialized_variable_warn off}.
     */
    static VariableGetter getter(String name) {
        return ex -> {
            String v = get(ex, name);
            if (v != null) {
                return v;
            }
            if (warn(ex)) {
                ex.log().warn("using uninitialized \"" + name + "\" variable" + ex.logContext());
            }
            return "";
        };
    }

    private static boolean warn(Exchange ex) {
        Location loc = ex.location();
        if (loc == null) {
            return true;
        }
        try {
            return loc.conf().modules().get(RewriteConf.class).uninitializedVariableWarn();
        } catch (IllegalArgumentException handBuilt) {
            return true; // a level built without the rewrite module's settings: nginx's default
        }
    }
}
