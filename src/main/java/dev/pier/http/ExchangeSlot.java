package dev.pier.http;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for a per-request value a module computes ({@code $upstream_addr}, a cache status …), stored on the
 * {@link Exchange} in a small array indexed by slot: no map, no boxing of the key. Declare one as a constant:
 * {@code static final ExchangeSlot<String> UPSTREAM_ADDR = ExchangeSlot.create("upstream_addr", String.class);}
 */
public final class ExchangeSlot<T> {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final Class<T> type;
    final int index;

    private ExchangeSlot(String name, Class<T> type, int index) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.index = index;
    }

    public static <T> ExchangeSlot<T> create(String name, Class<T> type) {
        return new ExchangeSlot<>(name, type, NEXT.getAndIncrement());
    }

    public String name() {
        return name;
    }

    T cast(Object o) {
        return type.cast(o);
    }

    /** A getter for templates: the slot's value as text, not found while unset. */
    public VariableGetter getter() {
        return ex -> {
            T v = ex.get(this);
            return v == null ? null : v.toString();
        };
    }

    @Override
    public String toString() {
        return "slot " + name;
    }
}
