package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** ngx_http_limit_req_module's directives ({@link LimitReqConf}). */
public final class LimitReqConfModule implements ConfModule<LimitLevel, LimitReqConf> {
    public static final LimitReqConfModule INSTANCE = new LimitReqConfModule();

    private LimitReqConfModule() {
    }

    private static LimitLevel b(Scope s) {
        return s.module(INSTANCE);
    }

    @Override
    public Class<LimitReqConf> confType() {
        return LimitReqConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        List<DirectiveSpec> all = new ArrayList<>(List.of(
                simple("limit_req_zone", Arity.TWO_OR_MORE, LimitReqConfModule::zone, HTTP),
                simple("limit_req", Arity.TAKE123, LimitReqConfModule::limit, HTTP, SERVER, LOCATION)));
        all.addAll(LimitLevel.settings("limit_req", LimitReqConfModule::b));
        return all;
    }

    /**
     * {@code limit_req_zone KEY zone=NAME:SIZE rate=RATE [sync]}: the rate is {@code Nr/s} or {@code Nr/m}, kept in
     * requests per 1000 seconds as nginx does. {@code sync} (NGINX Plus's zone
     * synchronisation) is accepted: Pier's zones are always shared by all workers of a master, never across hosts.
     */
    private static void zone(Directive d, Scope s) throws ConfigException {
        if (d.args().size() < 3 || d.args().size() > 4) { // nginx's TAKE3, plus NGINX Plus's sync
            throw Errors.at(d, "invalid number of arguments in " + Errors.q(d.name()) + " directive");
        }
        String key = d.args().get(0);
        VariableCatalog.check(key, d.source());
        String name = null;
        long size = 0;
        long rate = 1;
        long scale = 1;
        for (String a : d.args().subList(1, d.args().size())) {
            if (a.startsWith("zone=")) {
                String[] ns = LimitZones.nameAndSize(d, a);
                name = ns[0];
                size = Long.parseLong(ns[1]);
            } else if (a.startsWith("rate=")) {
                String v = a.substring(5);
                if (v.endsWith("r/s")) {
                    scale = 1;
                } else if (v.endsWith("r/m")) {
                    scale = 60;
                } else {
                    throw Errors.at(d, "invalid rate " + Errors.q(a));
                }
                rate = Values.number(v.substring(0, v.length() - 3));
                if (rate <= 0) {
                    throw Errors.at(d, "invalid rate " + Errors.q(a));
                }
            } else if (!a.equals("sync")) {
                throw Errors.at(d, "invalid parameter " + Errors.q(a));
            }
        }
        if (name == null) {
            throw Errors.at(d, Errors.q(d.name()) + " must have \"zone\" parameter");
        }
        long perThousand = Math.max(1, rate * 1000 / scale);
        LimitZone zone = new LimitZone(LimitZone.Kind.REQ, name, size, key, perThousand, d.source());
        LimitConnConfModule.checkOtherUse(s, d, name);
        LimitZones.declare(d, s.httpModule(INSTANCE).zones, zone);
    }

    static void checkOtherUse(Scope s, Directive d, String name) throws ConfigException {
        if (s.httpModule(INSTANCE).zones.containsKey(name)) {
            throw Errors.at(d, "the shared memory zone " + Errors.q(name) + " is already declared for a different use");
        }
    }

    /** {@code limit_req zone=NAME [burst=N] [nodelay | delay=N]}: the zone resolved at merge. */
    private static void limit(Directive d, Scope s) throws ConfigException {
        String zone = null;
        for (String a : d.args()) {
            if (a.startsWith("zone=")) {
                zone = a.substring(5);
            } else if (a.startsWith("burst=")) {
                if (Values.number(a.substring(6)) <= 0) {
                    throw Errors.at(d, "invalid burst value " + Errors.q(a));
                }
            } else if (a.startsWith("delay=")) {
                if (Values.number(a.substring(6)) <= 0) {
                    throw Errors.at(d, "invalid delay value " + Errors.q(a));
                }
            } else if (!a.equals("nodelay")) {
                throw Errors.at(d, "invalid parameter " + Errors.q(a));
            }
        }
        if (zone == null) {
            throw Errors.at(d, Errors.q(d.name()) + " must have \"zone\" parameter");
        }
        List<Directive> limits = b(s).limits;
        for (Directive other : limits) {
            if (zone.equals(zoneName(other))) {
                throw Errors.directive(d, "is duplicate");
            }
        }
        limits.add(d);
    }

    private static String zoneName(Directive d) {
        for (String a : d.args()) {
            if (a.startsWith("zone=")) {
                return a.substring(5);
            }
        }
        return null;
    }

    private static LimitReqConf.Limit compile(Directive d, Map<String, LimitZone> zones) throws ConfigException {
        LimitZone z = LimitZones.resolve(zones, zoneName(d), LimitZone.Kind.REQ, d);
        long burst = 0;
        long delay = 0;
        for (String a : d.args()) {
            if (a.startsWith("burst=")) {
                burst = Values.number(a.substring(6)) * 1000;
            } else if (a.startsWith("delay=")) {
                delay = Values.number(a.substring(6)) * 1000;
            } else if (a.equals("nodelay")) {
                delay = LimitReqConf.Limit.NODELAY;
            }
        }
        return new LimitReqConf.Limit(z, burst, delay);
    }

    @Override
    public LimitLevel newBuilder() {
        return new LimitLevel();
    }

    @Override
    public LimitReqConf merge(LimitLevel b, LimitReqConf p) throws ConfigException {
        Map<String, LimitZone> zones = b.zones(p.zones());
        List<LimitReqConf.Limit> limits = b.limits(p.limits(), zones, LimitReqConfModule::compile);
        return new LimitReqConf(zones, limits, b.status.orElse(p.status()), b.logLevel.orElse(p.logLevel()),
                b.dryRun.orElse(p.dryRun()));
    }

    @Override
    public LimitReqConf defaults(Path prefix) {
        return LimitReqConf.DEFAULTS;
    }
}
