package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** ngx_http_limit_conn_module's directives ({@link LimitConnConf}). */
public final class LimitConnConfModule implements ConfModule<LimitLevel, LimitConnConf> {
    public static final LimitConnConfModule INSTANCE = new LimitConnConfModule();

    private LimitConnConfModule() {
    }

    private static LimitLevel b(Scope s) {
        return s.module(INSTANCE);
    }

    @Override
    public Class<LimitConnConf> confType() {
        return LimitConnConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        List<DirectiveSpec> all = new ArrayList<>(List.of(
                simple("limit_conn_zone", Arity.TAKE2, LimitConnConfModule::zone, HTTP),
                simple("limit_conn", Arity.TAKE2, LimitConnConfModule::limit, HTTP, SERVER, LOCATION)));
        all.addAll(LimitLevel.settings("limit_conn", LimitConnConfModule::b));
        return all;
    }

    @Override
    public Set<String> variables() {
        return Set.copyOf(LimitZones.VARIABLES);
    }

    /** {@code limit_conn_zone KEY zone=NAME:SIZE}. */
    private static void zone(Directive d, Scope s) throws ConfigException {
        String key = d.args().get(0);
        VariableCatalog.check(key, d.source());
        String arg = d.args().get(1);
        if (!arg.startsWith("zone=")) {
            throw Errors.at(d, "invalid parameter " + Errors.q(arg));
        }
        String[] ns = LimitZones.nameAndSize(d, arg);
        LimitZone zone = new LimitZone(LimitZone.Kind.CONN, ns[0], Long.parseLong(ns[1]), key, 0, d.source());
        LimitReqConfModule.checkOtherUse(s, d, zone.name());
        LimitZones.declare(d, s.httpModule(INSTANCE).zones, zone);
    }

    static void checkOtherUse(Scope s, Directive d, String name) throws ConfigException {
        if (s.httpModule(INSTANCE).zones.containsKey(name)) {
            throw Errors.at(d, "the shared memory zone " + Errors.q(name) + " is already declared for a different use");
        }
    }

    /** {@code limit_conn ZONE N}: checked here, the zone resolved at merge (it may be declared further down). */
    private static void limit(Directive d, Scope s) throws ConfigException {
        long n = Values.number(d.args().get(1));
        if (n <= 0) {
            throw Errors.at(d, "invalid number of connections " + Errors.q(d.args().get(1)));
        }
        if (n > 65535) {
            throw Errors.at(d, "connection limit must be less 65536");
        }
        List<Directive> limits = b(s).limits;
        for (Directive other : limits) {
            if (other.args().getFirst().equals(d.args().getFirst())) {
                throw Errors.directive(d, "is duplicate");
            }
        }
        limits.add(d);
    }

    @Override
    public LimitLevel newBuilder() {
        return new LimitLevel();
    }

    @Override
    public LimitConnConf merge(LimitLevel b, LimitConnConf p) throws ConfigException {
        Map<String, LimitZone> zones = b.zones(p.zones());
        List<LimitConnConf.Limit> limits = b.limits(p.limits(), zones, (d, z) -> new LimitConnConf.Limit(
                LimitZones.resolve(z, d.args().get(0), LimitZone.Kind.CONN, d), (int) Values.number(d.args().get(1))));
        return new LimitConnConf(zones, limits, b.status.orElse(p.status()), b.logLevel.orElse(p.logLevel()),
                b.dryRun.orElse(p.dryRun()));
    }

    @Override
    public LimitConnConf defaults(Path prefix) {
        return LimitConnConf.DEFAULTS;
    }
}
