package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** ngx_http_limit_conn_module's directives ({@link LimitConnConf}). */
public final class LimitConnConfModule implements ConfModule<LimitConnConfModule.Builder, LimitConnConf> {
    public static final LimitConnConfModule INSTANCE = new LimitConnConfModule();

    private LimitConnConfModule() {
    }

    /** One level while binding; {@code zones} is filled at the http level only. */
    public static final class Builder {
        final Map<String, LimitZone> zones = new LinkedHashMap<>();
        final List<Directive> limits = new ArrayList<>();
        final Slot<Integer> status = new Slot<>();
        final Slot<LogLevel> logLevel = new Slot<>();
        final Slot<Boolean> dryRun = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    @Override
    public Class<LimitConnConf> confType() {
        return LimitConnConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("limit_conn_zone", Arity.TAKE2, LimitConnConfModule::zone, HTTP),
                simple("limit_conn", Arity.TAKE2, LimitConnConfModule::limit, HTTP, SERVER, LOCATION),
                simple("limit_conn_status", Arity.TAKE1, LimitZones.status(s -> b(s).status), HTTP, SERVER, LOCATION),
                simple("limit_conn_log_level", Arity.TAKE1, Slots.oneOf(s -> b(s).logLevel, LimitZones.LOG_LEVELS),
                        HTTP, SERVER, LOCATION),
                simple("limit_conn_dry_run", Arity.FLAG, Slots.flag(s -> b(s).dryRun), HTTP, SERVER, LOCATION));
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
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public LimitConnConf merge(Builder b, LimitConnConf p) throws ConfigException {
        Map<String, LimitZone> zones = new LinkedHashMap<>(p.zones());
        zones.putAll(b.zones);
        List<LimitConnConf.Limit> limits;
        if (b.limits.isEmpty()) {
            limits = p.limits();
        } else {
            limits = new ArrayList<>();
            for (Directive d : b.limits) {
                LimitZone z = LimitZones.resolve(zones, d.args().get(0), LimitZone.Kind.CONN, d);
                limits.add(new LimitConnConf.Limit(z, (int) Values.number(d.args().get(1))));
            }
        }
        return new LimitConnConf(zones, limits, b.status.orElse(p.status()), b.logLevel.orElse(p.logLevel()),
                b.dryRun.orElse(p.dryRun()));
    }

    @Override
    public LimitConnConf defaults(Path prefix) {
        return LimitConnConf.DEFAULTS;
    }
}
