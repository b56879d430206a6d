package dev.pier.http.limits;

import dev.pier.config.bind.LimitZone;

/**
 * A {@code limit_conn_zone}'s counters in its {@link ZoneTable}: requests in flight per key. A state lives while
 * its count is above zero (nginx deletes the node at zero), so a bucket whose eight slots all hold requests in
 * flight has no room for a ninth key: nginx's "no memory" case, which rejects the request.
 */
final class ConnZone {
    /** {@link #acquire}: counted. */
    static final int ACQUIRED = 1;
    /** {@link #acquire}: the key has {@code max} in flight already. */
    static final int LIMITED = 0;
    /** {@link #acquire}: no slot for a new key. */
    static final int NO_ROOM = -1;

    private final LimitZone zone;
    private final ZoneTable table;

    ConnZone(LimitZone zone, ZoneTable table) {
        this.zone = zone;
        this.table = table;
    }

    LimitZone zone() {
        return zone;
    }

    int acquire(long hash, int max) {
        long base = table.lock(hash);
        try {
            long slot = table.find(base, hash);
            if (slot < 0) {
                slot = table.free(base);
                if (slot < 0) {
                    return NO_ROOM;
                }
                table.hash(slot, hash);
                table.count(slot, 1);
                return ACQUIRED;
            }
            int n = table.count(slot);
            if (n >= max) {
                return LIMITED;
            }
            table.count(slot, n + 1);
            return ACQUIRED;
        } finally {
            table.unlock(base);
        }
    }

    /** One request for {@code hash} ended ({@code ngx_http_limit_conn_cleanup}). */
    void release(long hash) {
        long base = table.lock(hash);
        try {
            long slot = table.find(base, hash);
            if (slot < 0) {
                return;
            }
            int n = table.count(slot) - 1;
            if (n <= 0) {
                table.count(slot, 0);
                table.hash(slot, 0);
            } else {
                table.count(slot, n);
            }
        } finally {
            table.unlock(base);
        }
    }

    /** Requests in flight for {@code hash} (tests). */
    int inFlight(long hash) {
        long base = table.lock(hash);
        try {
            long slot = table.find(base, hash);
            return slot < 0 ? 0 : table.count(slot);
        } finally {
            table.unlock(base);
        }
    }
}
