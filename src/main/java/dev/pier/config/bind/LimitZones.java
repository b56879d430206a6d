package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.List;
import java.util.Map;

/**
 * Parsing shared by {@code limit_conn_zone} and {@code limit_req_zone} ({@code ngx_http_limit_conn_zone},
 * {@code ngx_http_limit_req_zone}), and the checks of a {@code limit_*} directive against the declared zones.
 */
final class LimitZones {
    private LimitZones() {
    }

    /** {@code zone=NAME:SIZE}, with nginx's messages. */
    static String[] nameAndSize(Directive d, String arg) throws ConfigException {
        String v = arg.substring(5);
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw Errors.at(d, "invalid zone size " + Errors.q(v));
        }
        String name = v.substring(0, colon);
        long size = Values.size(v.substring(colon + 1));
        if (size < 0) {
            throw Errors.at(d, "invalid zone size " + Errors.q(v));
        }
        if (size < LimitZone.MIN_SIZE) {
            throw Errors.at(d, "zone " + Errors.q(name) + " is too small");
        }
        return new String[] {name, Long.toString(size)};
    }

    /**
     * Records a zone in the http level's map; a second declaration of the same name fails as
     * {@code ngx_shared_memory_add} does.
     */
    static void declare(Directive d, Map<String, LimitZone> zones, LimitZone zone) throws ConfigException {
        LimitZone old = zones.get(zone.name());
        if (old != null) {
            if (old.kind() != zone.kind()) {
                throw Errors.at(d, "the shared memory zone " + Errors.q(zone.name())
                        + " is already declared for a different use");
            }
            if (old.size() != zone.size()) {
                throw Errors.at(d, "the size " + zone.size() + " of shared memory zone " + Errors.q(zone.name())
                        + " conflicts with already declared size " + old.size());
            }
            throw Errors.at(d, zone.kind().directive() + " " + Errors.q(zone.name()) + " is already bound");
        }
        zones.put(zone.name(), zone);
    }

    /** A zone a {@code limit_conn}/{@code limit_req} names; nginx finds an undeclared one at start-up. */
    static LimitZone resolve(Map<String, LimitZone> zones, String name, LimitZone.Kind kind, Directive d)
            throws ConfigException {
        LimitZone z = zones.get(name);
        if (z == null) {
            throw Errors.at(d, "zero size shared memory zone " + Errors.q(name));
        }
        if (z.kind() != kind) {
            throw Errors.at(d, "the shared memory zone " + Errors.q(name) + " is already declared for a different use");
        }
        return z;
    }

    /** {@code limit_*_status}: nginx's {@code ngx_conf_check_num_bounds} 400..599. */
    static DirectiveSpec.Setter status(Slots.SlotRef<Integer> ref) {
        return (d, s) -> {
            Slot<Integer> slot = ref.apply(s);
            slot.checkUnset(d);
            int v = Values.intNumber(d.args().getFirst());
            if (v < 0) {
                throw Errors.directive(d, "invalid number");
            }
            if (v < 400 || v > 599) {
                throw Errors.at(d, "value must be between 400 and 599");
            }
            slot.set(v, d);
        };
    }

    /** {@code limit_*_log_level}: the four levels nginx allows. */
    static final Map<String, LogLevel> LOG_LEVELS = Map.of("info", LogLevel.INFO, "notice", LogLevel.NOTICE,
            "warn", LogLevel.WARN, "error", LogLevel.ERROR);

    /** The variables both modules define, for the binder ({@code binary_remote_addr} is core in nginx). */
    static final List<String> VARIABLES = List.of("limit_conn_status", "limit_req_status", "binary_remote_addr");
}
