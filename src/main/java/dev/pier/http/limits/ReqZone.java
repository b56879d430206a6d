package dev.pier.http.limits;

import dev.pier.config.bind.LimitZone;

/**
 * A {@code limit_req_zone}'s states in its {@link ZoneTable}: nginx's lookup and account under one bucket lock.
 * A full bucket first reuses an expired state, then evicts its least recently used one, as nginx's forced expiry
 * does when the slab is full, so a lookup never fails for want of room.
 */
final class ReqZone {
    private final LimitZone zone;
    private final ZoneTable table;

    ReqZone(LimitZone zone, ZoneTable table) {
        this.zone = zone;
        this.table = table;
    }

    LimitZone zone() {
        return zone;
    }

    long rate() {
        return zone.rate();
    }

    /**
     * One request for {@code hash} at {@code now} (ms): its excess (≥ 0) when within {@code burst}, else
     * {@code -1 - excess} (nginx's NGX_BUSY; nothing is stored then). With {@code account} false (an earlier limit
     * of several) the state is created but not charged: {@link #account} does that once every limit passed.
     */
    long lookup(long hash, long burst, boolean account, long now) {
        long base = table.lock(hash);
        try {
            long slot = table.find(base, hash);
            if (slot < 0) {
                slot = place(base, now);
                table.hash(slot, hash);
                table.excess(slot, 0);
                table.last(slot, now);
                return 0;
            }
            long excess = LeakyBucket.next(table.excess(slot), table.last(slot), now, zone.rate());
            if (excess > burst) {
                return -1 - excess;
            }
            if (account) {
                store(slot, excess, now);
            }
            return excess;
        } finally {
            table.unlock(base);
        }
    }

    /** Charges the request to an earlier limit that passed ({@code ngx_http_limit_req_account}); its excess. */
    long account(long hash, long now) {
        long base = table.lock(hash);
        try {
            long slot = table.find(base, hash);
            if (slot < 0) { // evicted since the lookup: start again
                slot = place(base, now);
                table.hash(slot, hash);
                table.excess(slot, 0);
                table.last(slot, now);
                return 0;
            }
            long excess = LeakyBucket.next(table.excess(slot), table.last(slot), now, zone.rate());
            store(slot, excess, now);
            return excess;
        } finally {
            table.unlock(base);
        }
    }

    private void store(long slot, long excess, long now) {
        table.excess(slot, excess);
        if (LeakyBucket.elapsed(table.last(slot), now) != 0) {
            table.last(slot, now);
        }
    }

    /** A slot for a new key in the locked bucket: a free one, an expired one, else the least recently used. */
    private long place(long base, long now) {
        long slot = table.free(base);
        if (slot >= 0) {
            return slot;
        }
        for (int i = 0; i < ZoneTable.WAYS; i++) {
            long s = base + (long) i * ZoneTable.SLOT_BYTES;
            if (LeakyBucket.expired(table.excess(s), table.last(s), now, zone.rate())) {
                return s;
            }
        }
        return table.oldest(base);
    }
}
