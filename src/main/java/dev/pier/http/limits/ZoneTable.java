package dev.pier.http.limits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A fixed hash table in a memory segment that several processes map (a zone's file): {@code buckets} buckets of
 * {@value #WAYS} slots of {@value #SLOT_BYTES} bytes after a {@value #HEADER_BYTES}-byte header. A key lives in the
 * bucket its hash picks, so a lookup locks one bucket and scans eight slots; a full bucket gives up its
 * least-recently-used or a stale state, as nginx's LRU expiry does.
 *
 * <p>Slot layout: {@code int lock} (slot 0 of a bucket only: the pid of the holder, 0 when free), {@code int count}
 * (requests in flight, limit_conn), {@code long hash} (0 = free), {@code long last} (ms of the last request,
 * limit_req), {@code long excess} (limit_req, ×1000). Access is by offset with the layouts' var handles: the lock
 * word with compare-and-set (volatile semantics order the plain accesses inside the lock), everything else plain.
 */
final class ZoneTable {
    static final int HEADER_BYTES = 64;
    static final int WAYS = 8;
    static final int SLOT_BYTES = 32;
    static final int BUCKET_BYTES = WAYS * SLOT_BYTES;
    static final long MAGIC = 0x5049455230305A4EL; // "PIER00ZN"

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    static final int COUNT = 4;
    static final int HASH = 8;
    static final int LAST = 16;
    static final int EXCESS = 24;

    private final MemorySegment seg;
    private final long buckets;
    private final int pid;

    ZoneTable(MemorySegment seg, int pid) {
        this.seg = seg;
        this.pid = pid;
        this.buckets = (seg.byteSize() - HEADER_BYTES) / BUCKET_BYTES;
        if (buckets < 1) {
            throw new IllegalArgumentException("segment too small: " + seg.byteSize());
        }
    }

    /** The bytes a table of about {@code zoneSize / 64} states needs (nginx fits ~16000 short states in 1m). */
    static long bytesFor(long zoneSize) {
        long buckets = Math.max(1, zoneSize / 64 / WAYS);
        return HEADER_BYTES + buckets * BUCKET_BYTES;
    }

    long buckets() {
        return buckets;
    }

    /** The bucket offset for {@code hash}, locked: call {@link #unlock} in a finally. */
    long lock(long hash) {
        long base = HEADER_BYTES + Long.remainderUnsigned(Long.rotateLeft(hash, 17), buckets) * BUCKET_BYTES;
        int spins = 0;
        while (!INT.compareAndSet(seg, base, 0, pid)) {
            // the holder may be another thread of this process (same pid): only a successful steal makes it ours
            if (++spins % 100_000 == 0 && stealFromDead(base)) {
                return base;
            }
            Thread.onSpinWait();
        }
        return base;
    }

    /**
     * Takes over a lock whose holder died in it (nginx's master force-unlocks a crashed worker's mutex the same way);
     * true if this thread now holds it.
     */
    private boolean stealFromDead(long base) {
        int holder = (int) INT.getVolatile(seg, base);
        return holder != 0 && holder != pid && !ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false)
                && INT.compareAndSet(seg, base, holder, pid);
    }

    void unlock(long base) {
        INT.setVolatile(seg, base, 0);
    }

    /** The slot of {@code hash} in the locked bucket, or -1. */
    long find(long base, long hash) {
        for (int i = 0; i < WAYS; i++) {
            long slot = base + (long) i * SLOT_BYTES;
            if (seg.get(L, slot + HASH) == hash) {
                return slot;
            }
        }
        return -1;
    }

    /** A free slot of the locked bucket, or -1. */
    long free(long base) {
        return find(base, 0);
    }

    /** The slot of the locked bucket whose {@code last} is oldest (nginx's LRU tail). */
    long oldest(long base) {
        long best = base;
        for (int i = 1; i < WAYS; i++) {
            long slot = base + (long) i * SLOT_BYTES;
            if (seg.get(L, slot + LAST) < seg.get(L, best + LAST)) {
                best = slot;
            }
        }
        return best;
    }

    long hash(long slot) {
        return seg.get(L, slot + HASH);
    }

    int count(long slot) {
        return seg.get(I, slot + COUNT);
    }

    long last(long slot) {
        return seg.get(L, slot + LAST);
    }

    long excess(long slot) {
        return seg.get(L, slot + EXCESS);
    }

    void hash(long slot, long v) {
        seg.set(L, slot + HASH, v);
    }

    void count(long slot, int v) {
        seg.set(I, slot + COUNT, v);
    }

    void last(long slot, long v) {
        seg.set(L, slot + LAST, v);
    }

    void excess(long slot, long v) {
        seg.set(L, slot + EXCESS, v);
    }

    /** Occupied slots, for tests and status: a racy count without locks. */
    long used() {
        long n = 0;
        for (long b = 0; b < buckets; b++) {
            for (int i = 0; i < WAYS; i++) {
                if (seg.get(L, HEADER_BYTES + b * BUCKET_BYTES + (long) i * SLOT_BYTES + HASH) != 0) {
                    n++;
                }
            }
        }
        return n;
    }
}
