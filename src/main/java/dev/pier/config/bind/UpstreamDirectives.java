package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code upstream NAME { ... }} (http) and the directives of its block ({@code ngx_http_upstream_commands} and the
 * balancing and keepalive modules' rows): {@code server}, {@code least_conn}, {@code ip_hash},
 * {@code hash KEY [consistent]}, {@code random [two [least_conn]]}, {@code keepalive N},
 * {@code keepalive_requests}, {@code keepalive_timeout}, {@code keepalive_time}. The block is bound here rather
 * than by the walker, since its directives live in their own context (nginx's NGX_HTTP_UPS_CONF); each is also
 * listed in the global table with no context, so using one elsewhere fails with nginx's
 * {@code "least_conn" directive is not allowed here}.
 */
final class UpstreamDirectives {
    private UpstreamDirectives() {
    }

    /** One row of the block's own table: nginx's argument count (random takes 0 to 2, which no Arity says). */
    private record Row(int min, int max, Setter setter) {
        boolean accepts(int n) {
            return n >= min && n <= max;
        }
    }

    @FunctionalInterface
    private interface Setter {
        void set(Directive d, UpstreamBlockBuilder b, Scope s) throws ConfigException;
    }

    private static final Map<String, Row> BLOCK = Map.of(
            "server", new Row(1, Integer.MAX_VALUE, (d, b, s) -> b.servers.add(d)),
            "least_conn", new Row(0, 0, (d, b, s) -> b.balancing(new UpstreamConf.Balancing.LeastConn())),
            "ip_hash", new Row(0, 0, (d, b, s) -> b.balancing(new UpstreamConf.Balancing.IpHash())),
            "hash", new Row(1, 2, UpstreamDirectives::hash),
            "random", new Row(0, 2, UpstreamDirectives::random),
            "keepalive", new Row(1, 1, UpstreamDirectives::keepalive),
            "keepalive_requests", new Row(1, 1, (d, b, s) -> Slots.number(x -> b.keepaliveRequests).set(d, s)),
            "keepalive_timeout", new Row(1, 1, (d, b, s) -> Slots.msec(x -> b.keepaliveTimeout).set(d, s)),
            "keepalive_time", new Row(1, 1, (d, b, s) -> Slots.msec(x -> b.keepaliveTime).set(d, s)));

    static final List<DirectiveSpec> SPECS = specs();

    private static List<DirectiveSpec> specs() {
        List<DirectiveSpec> all = new ArrayList<>();
        all.add(DirectiveSpec.block("upstream", Arity.TAKE1, UpstreamDirectives::upstream, Context.HTTP));
        for (var e : BLOCK.entrySet()) {
            // only reachable through the upstream block: anywhere else the walker says "is not allowed here"
            all.add(new DirectiveSpec(e.getKey(), Set.of(), Arity.ONE_OR_MORE, false, (d, s) -> {
                throw Errors.directive(d, "is not allowed here");
            }));
        }
        return List.copyOf(all);
    }

    /** {@code ngx_http_upstream}: a new named block, bound directive by directive, then checked as a whole. */
    private static void upstream(Directive d, Scope s) throws ConfigException {
        String name = d.args().getFirst();
        UpstreamBuilder ups = s.httpModule(UpstreamConfModule.INSTANCE);
        if (ups.blocks.containsKey(name)) {
            throw Errors.at(d, "duplicate upstream " + Errors.q(name));
        }
        UpstreamBlockBuilder b = new UpstreamBlockBuilder(name, d.source());
        for (Directive child : d.children()) {
            dispatch(child, b, s);
        }
        ups.blocks.put(name, b.build(s.env().resolver()));
    }

    private static void dispatch(Directive d, UpstreamBlockBuilder b, Scope s) throws ConfigException {
        Row row = BLOCK.get(d.name());
        if (row == null) {
            throw Directives.named(d.name()).isEmpty() ? Errors.at(d, "unknown directive " + Errors.q(d.name()))
                    : Errors.directive(d, "is not allowed here");
        }
        if (d.isBlock()) {
            throw Errors.at(d, "directive " + Errors.q(d.name()) + " is not terminated by \";\"");
        }
        if (!row.accepts(d.args().size())) {
            throw Errors.at(d, "invalid number of arguments in " + Errors.q(d.name()) + " directive");
        }
        row.setter().set(d, b, s);
    }

    /** {@code hash KEY [consistent]}; the key may hold variables, checked now. */
    private static void hash(Directive d, UpstreamBlockBuilder b, Scope s) throws ConfigException {
        boolean consistent = false;
        if (d.args().size() == 2) {
            if (!d.args().get(1).equals("consistent")) {
                throw Errors.at(d, "invalid parameter " + Errors.q(d.args().get(1)));
            }
            consistent = true;
        }
        VariableCatalog.check(d.args().getFirst(), d.source());
        b.balancing(new UpstreamConf.Balancing.Hash(d.args().getFirst(), consistent));
    }

    /** {@code random [two [least_conn]]}: least_conn is the only method nginx offers for the second pick. */
    private static void random(Directive d, UpstreamBlockBuilder b, Scope s) throws ConfigException {
        List<String> a = d.args();
        if (!a.isEmpty() && !a.get(0).equals("two")) {
            throw Errors.at(d, "invalid parameter " + Errors.q(a.get(0)));
        }
        if (a.size() == 2 && !a.get(1).equals("least_conn")) {
            throw Errors.at(d, "invalid parameter " + Errors.q(a.get(1)));
        }
        b.balancing(new UpstreamConf.Balancing.Random(!a.isEmpty()));
    }

    /** {@code ngx_http_upstream_keepalive}: a positive number of idle connections per worker. */
    private static void keepalive(Directive d, UpstreamBlockBuilder b, Scope s) throws ConfigException {
        long n = Values.number(d.args().getFirst());
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw Errors.at(d, "invalid value " + Errors.q(d.args().getFirst()) + " in " + Errors.q(d.name())
                    + " directive");
        }
        b.keepalive.set((int) n, d);
    }
}
