package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * One level of {@code limit_conn} or {@code limit_req} while binding (the builder both modules share): the zones
 * (filled at the http level only), the limit directives, and the status, log level and dry-run settings, with the
 * directives and the merge steps the two modules have in common.
 */
public final class LimitLevel {
    final Map<String, LimitZone> zones = new LinkedHashMap<>();
    final List<Directive> limits = new ArrayList<>();
    final Slot<Integer> status = new Slot<>();
    final Slot<LogLevel> logLevel = new Slot<>();
    final Slot<Boolean> dryRun = new Slot<>();

    /** {@code PREFIX_status}, {@code PREFIX_log_level} and {@code PREFIX_dry_run} ({@code limit_conn}, {@code limit_req}). */
    static List<DirectiveSpec> settings(String prefix, Function<Scope, LimitLevel> level) {
        return List.of(
                simple(prefix + "_status", Arity.TAKE1, LimitZones.status(s -> level.apply(s).status),
                        HTTP, SERVER, LOCATION),
                simple(prefix + "_log_level", Arity.TAKE1, Slots.oneOf(s -> level.apply(s).logLevel,
                        LimitZones.LOG_LEVELS), HTTP, SERVER, LOCATION),
                simple(prefix + "_dry_run", Arity.FLAG, Slots.flag(s -> level.apply(s).dryRun),
                        HTTP, SERVER, LOCATION));
    }

    /** The zones this level sees: the parent's and any declared here. */
    Map<String, LimitZone> zones(Map<String, LimitZone> parent) {
        Map<String, LimitZone> all = new LinkedHashMap<>(parent);
        all.putAll(zones);
        return all;
    }

    /** One limit directive resolved against the zones. */
    interface Compiler<L> {
        L compile(Directive d, Map<String, LimitZone> zones) throws ConfigException;
    }

    /** This level's limits, or, as in nginx, the parent's when this level sets none. */
    <L> List<L> limits(List<L> parent, Map<String, LimitZone> zones, Compiler<L> compiler) throws ConfigException {
        if (limits.isEmpty()) {
            return parent;
        }
        List<L> out = new ArrayList<>();
        for (Directive d : limits) {
            out.add(compiler.compile(d, zones));
        }
        return out;
    }
}
