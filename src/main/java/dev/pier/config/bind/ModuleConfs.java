package dev.pier.config.bind;

import java.util.Map;
import java.util.Objects;

/** The merged configurations of every {@link ConfModule} at one level, by record type. Immutable. */
public final class ModuleConfs {
    public static final ModuleConfs EMPTY = new ModuleConfs(Map.of());

    private final Map<Class<?>, Object> byType;

    ModuleConfs(Map<Class<?>, Object> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** The configuration of the module whose record is {@code type}; fails if no such module is registered. */
    public <C> C get(Class<C> type) {
        Object c = byType.get(type);
        if (c == null) {
            throw new IllegalArgumentException("no module configuration of type " + type.getName());
        }
        return type.cast(c);
    }

    /** Builds a set by hand (tests, fixtures). */
    public static ModuleConfs of(Map<Class<?>, Object> byType) {
        byType.forEach((k, v) -> {
            Objects.requireNonNull(v, k.getName());
            if (!k.isInstance(v)) {
                throw new IllegalArgumentException(v + " is not a " + k.getName());
            }
        });
        return new ModuleConfs(byType);
    }

    /** A copy with {@code type}'s configuration replaced (tests, fixtures). */
    public <C> ModuleConfs with(Class<C> type, C conf) {
        Map<Class<?>, Object> m = new java.util.HashMap<>(byType);
        m.put(type, java.util.Objects.requireNonNull(conf, "conf"));
        return new ModuleConfs(m);
    }

    @Override
    public String toString() {
        return byType.values().toString();
    }
}
