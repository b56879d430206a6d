package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds a parsed configuration into a {@link PierConfig}: nginx's {@code ngx_conf_handler} for each directive
 * (unknown, wrong context, block or not, argument count, then the row's setter), then the merge of every level and
 * the listening socket plan. Any error is a {@link ConfigException} naming file:line; nothing is half-built.
 */
public final class ConfigBinder {
    private ConfigBinder() {
    }

    /** Binds {@code main} (the top-level directives of {@code file}) with the machine's CPU count, uid and DNS. */
    public static PierConfig bind(List<Directive> main, Path prefix, Path file) throws ConfigException {
        return bind(main, prefix, file, BindEnvironment.system());
    }

    public static PierConfig bind(List<Directive> main, Path prefix, Path file, BindEnvironment env)
            throws ConfigException {
        MainBuilder mb = new MainBuilder();
        Walker walker = new Walker(prefix, env);
        // nginx knows a variable made by set or by a named capture anywhere in the file, even before that line
        VariableCatalog.DECLARED.set(DeclaredVariables.scan(main));
        try {
            walker.walk(main, new Scope(walker, Context.MAIN, mb, null, null, null, null));
        } finally {
            VariableCatalog.DECLARED.remove();
        }

        EventsConf events = mb.events.isSet() ? mb.events.get().build() : EventsConf.DEFAULT;
        HttpConf http = mb.http.isSet() ? buildHttp(mb.http.get(), prefix) : HttpConf.EMPTY;
        return new PierConfig(prefix, file, mb.build(prefix), events, http, dev.pier.config.ConfigSnapshot.EMPTY);
    }

    private static HttpConf buildHttp(HttpBuilder h, Path prefix) throws ConfigException {
        LocationConf httpLevel = LocationMerger.merge(h.location(), LocationMerger.defaults(prefix, h.location().source));
        Map<ServerBuilder, ServerConf> byBuilder = ListenerPlanner.identityMap();
        List<ServerConf> servers = new ArrayList<>();
        for (ServerBuilder sb : h.servers) {
            ServerConf sc = new ServerConf(sb.names(), sb.listens, LocationMerger.merge(sb.location(), httpLevel),
                    sb.source);
            byBuilder.put(sb, sc);
            servers.add(sc);
        }
        return new HttpConf(servers, ListenerPlanner.plan(h.listens, byBuilder), httpLevel.modules());
    }

    /** The dispatcher: checks a directive against its table row and calls the setter. */
    static final class Walker {
        private final Path prefix;
        private final BindEnvironment env;

        Walker(Path prefix, BindEnvironment env) {
            this.prefix = prefix;
            this.env = env;
        }

        Path prefix() {
            return prefix;
        }

        BindEnvironment env() {
            return env;
        }

        void walk(List<Directive> directives, Scope scope) throws ConfigException {
            for (Directive d : directives) {
                dispatch(d, scope);
            }
        }

        private void dispatch(Directive d, Scope scope) throws ConfigException {
            List<DirectiveSpec> rows = Directives.named(d.name());
            if (rows.isEmpty()) {
                throw Errors.at(d, "unknown directive " + Errors.q(d.name()));
            }
            DirectiveSpec spec = rows.stream().filter(r -> r.contexts().contains(scope.context())).findFirst()
                    .orElseThrow(() -> Errors.directive(d, "is not allowed here"));
            if (!spec.block() && d.isBlock()) {
                throw Errors.at(d, "directive " + Errors.q(d.name()) + " is not terminated by \";\"");
            }
            if (spec.block() && !d.isBlock()) {
                throw Errors.at(d, "directive " + Errors.q(d.name()) + " has no opening \"{\"");
            }
            if (!spec.arity().accepts(d.args().size())) {
                throw Errors.at(d, "invalid number of arguments in " + Errors.q(d.name()) + " directive");
            }
            try {
                spec.setter().set(d, scope);
            } catch (java.nio.file.InvalidPathException e) {
                // a NUL byte in a path argument (found by ConfigParserFuzzTest): nginx would cut the C string there
                throw Errors.at(d, "invalid path " + Errors.q(e.getInput().replace("\0", "\\0")) + " in "
                        + Errors.q(d.name()) + " directive");
            }
        }
    }
}
