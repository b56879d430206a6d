package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of every variable Pier defines, so the binder rejects an unknown one with nginx's
 * {@code unknown "name" variable} without loading the runtime (Netty-free, for {@code pier -t}). The core's names are
 * here; each {@link ConfModule} adds its own through {@link ConfModule#variables()}. A name ending in {@code _} is a
 * prefix family ({@code http_} covers {@code $http_user_agent}). The runtime's getters
 * ({@code dev.pier.http.Variables}) are checked against this list by a test.
 */
public final class VariableCatalog {
    private VariableCatalog() {
    }

    /** nginx's core variables that Pier implements (ngx_http_variables.c), plus {@code pier_version}. */
    public static final Set<String> CORE = Set.of(
            "pid", "hostname", "request_uri", "uri", "document_uri", "args", "query_string", "is_args", "host",
            "remote_addr", "remote_port", "remote_user", "server_addr", "server_port", "server_name", "scheme", "request_method",
            "server_protocol", "request", "status", "body_bytes_sent", "bytes_sent", "request_time", "msec",
            "time_local", "time_iso8601", "connection", "connection_requests", "request_length", "content_type",
            "content_length", "document_root", "realpath_root", "request_filename", "pier_version", "nginx_version",
            "limit_rate",
            "http_", "cookie_", "arg_", "sent_http_");

    private static final Set<String> ALL = collect();

    private static Set<String> collect() {
        Set<String> all = new HashSet<>(CORE);
        for (ConfModule<?, ?> m : ConfModules.all()) {
            all.addAll(m.variables());
        }
        return Set.copyOf(all);
    }

    /** Every name and prefix family (with its trailing {@code _}). */
    public static Set<String> all() {
        return ALL;
    }

    /**
     * The variables the configuration being bound declares ({@code set $name}, named regex captures), found by
     * {@link DeclaredVariables#scan} before the walk, so a use may come before its {@code set} as in nginx.
     */
    static final ThreadLocal<Set<String>> DECLARED = new ThreadLocal<>();

    /** Whether {@code name} is one of Pier's own variables (not a prefix family): {@code set} may not redefine it. */
    static boolean builtin(String name) {
        return !name.endsWith("_") && ALL.contains(name);
    }

    /** Whether {@code $name} exists: a full name, or a prefix family with a non-empty rest. */
    public static boolean known(String name) {
        if (!name.endsWith("_") && ALL.contains(name)) {
            return true;
        }
        Set<String> declared = DECLARED.get();
        if (declared != null && declared.contains(name)) {
            return true;
        }
        for (int i = name.indexOf('_'); i > 0 && i < name.length() - 1; i = name.indexOf('_', i + 1)) {
            if (ALL.contains(name.substring(0, i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code text} and fails like nginx on a bad or unknown variable. */
    public static List<TemplateSyntax.Part> check(String text, Source source) throws ConfigException {
        List<TemplateSyntax.Part> parts = TemplateSyntax.parse(text, source);
        for (TemplateSyntax.Part p : parts) {
            if (p instanceof TemplateSyntax.Ref(String name) && !known(name)) {
                throw new ConfigException("unknown \"" + name + "\" variable", source);
            }
        }
        return parts;
    }
}
