package dev.pier.config.bind;

import dev.pier.config.Directive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Generic setters, nginx's {@code ngx_conf_set_*_slot}: each takes the directive's first argument, parses it and
 * stores it in a {@link Slot} of the current level, with nginx's messages for duplicates and bad values.
 */
public final class Slots {
    private Slots() {
    }

    /** A way to reach the slot a row writes to from the current scope. */
    @FunctionalInterface
    public interface SlotRef<T> extends Function<Scope, Slot<T>> {
    }

    /** {@code ngx_conf_set_flag_slot}: {@code on} or {@code off}, case-insensitive. */
    public static DirectiveSpec.Setter flag(SlotRef<Boolean> ref) {
        return (d, s) -> {
            Slot<Boolean> slot = ref.apply(s);
            slot.checkUnset(d);
            slot.set(flagValue(d, d.args().getFirst()), d);
        };
    }

    static boolean flagValue(Directive d, String v) throws dev.pier.config.ConfigException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw Errors.at(d, "invalid value " + Errors.q(v) + " in " + Errors.q(d.name())
                    + " directive, it must be \"on\" or \"off\"");
        };
    }

    /** {@code ngx_conf_set_num_slot}: a non-negative integer, else {@code invalid number}. */
    public static DirectiveSpec.Setter number(SlotRef<Integer> ref) {
        return (d, s) -> {
            Slot<Integer> slot = ref.apply(s);
            slot.checkUnset(d);
            int v = Values.intNumber(d.args().getFirst());
            if (v < 0) {
                throw Errors.directive(d, "invalid number");
            }
            slot.set(v, d);
        };
    }

    /** {@code ngx_conf_set_size_slot}: bytes with an optional k/m suffix, else {@code invalid value}. */
    public static DirectiveSpec.Setter size(SlotRef<Long> ref) {
        return (d, s) -> {
            Slot<Long> slot = ref.apply(s);
            slot.checkUnset(d);
            long v = Values.size(d.args().getFirst());
            if (v < 0) {
                throw Errors.directive(d, "invalid value");
            }
            slot.set(v, d);
        };
    }

    /** {@code ngx_conf_set_off_slot}: bytes with an optional k/m/g suffix, else {@code invalid value}. */
    public static DirectiveSpec.Setter offset(SlotRef<Long> ref) {
        return (d, s) -> {
            Slot<Long> slot = ref.apply(s);
            slot.checkUnset(d);
            long v = Values.offset(d.args().getFirst());
            if (v < 0) {
                throw Errors.directive(d, "invalid value");
            }
            slot.set(v, d);
        };
    }

    /** {@code ngx_conf_set_msec_slot}: a time such as {@code 75s} or {@code 1h 30m}, else {@code invalid value}. */
    public static DirectiveSpec.Setter msec(SlotRef<Duration> ref) {
        return (d, s) -> {
            Slot<Duration> slot = ref.apply(s);
            slot.checkUnset(d);
            long v = Values.msec(d.args().getFirst());
            if (v < 0) {
                throw Errors.directive(d, "invalid value");
            }
            slot.set(Duration.ofMillis(v), d);
        };
    }

    /** {@code ngx_conf_set_str_slot}: the argument as written. */
    public static DirectiveSpec.Setter string(SlotRef<String> ref) {
        return (d, s) -> ref.apply(s).set(d.args().getFirst(), d);
    }

    /** A path; a relative one is resolved against the prefix ({@code ngx_conf_full_name}). */
    public static DirectiveSpec.Setter path(SlotRef<Path> ref) {
        return (d, s) -> ref.apply(s).set(s.prefix().resolve(d.args().getFirst()), d);
    }

    /** {@code ngx_conf_set_enum_slot}: one of a fixed set of words, else {@code invalid value "x"}. */
    public static <E> DirectiveSpec.Setter oneOf(SlotRef<E> ref, Map<String, E> values) {
        return (d, s) -> {
            Slot<E> slot = ref.apply(s);
            slot.checkUnset(d);
            E v = values.get(d.args().getFirst());
            if (v == null) {
                throw Errors.at(d, "invalid value " + Errors.q(d.args().getFirst()));
            }
            slot.set(v, d);
        };
    }
}
