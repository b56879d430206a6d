package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;

/** One listening socket (per worker slot when {@code reuseport}) and the addresses served through it. */
public record Listener(ListenSpec spec, List<VirtualAddress> addresses) {
    public Listener {
        Objects.requireNonNull(spec, "spec");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("listener without addresses");
        }
    }
}
