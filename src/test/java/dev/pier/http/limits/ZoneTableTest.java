package dev.pier.http.limits;

import dev.pier.config.Source;
import dev.pier.config.bind.LimitZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared zone tables: limit_req states, limit_conn counters, eviction, and two mappings of one file. */
class ZoneTableTest {
    private static final Source SRC = new Source(Path.of("/test/pier.conf"), 1);
    private static final int PID = (int) ProcessHandle.current().pid();

    private static LimitZone req(long rate) {
        return new LimitZone(LimitZone.Kind.REQ, "r", LimitZone.MIN_SIZE, "$uri", rate, SRC);
    }

    private static LimitZone conn() {
        return new LimitZone(LimitZone.Kind.CONN, "c", LimitZone.MIN_SIZE, "$uri", 0, SRC);
    }

    private static ZoneTable table(Arena arena, long zoneSize) {
        return new ZoneTable(arena.allocate(ZoneTable.bytesFor(zoneSize), 64), PID);
    }

    @Test
    void zoneFilesAreNamedByConfigOwnerKindNameKeyAndSize() {
        LimitZone z = new LimitZone(LimitZone.Kind.REQ, "one/x", 1024 * 1024, "$binary_remote_addr", 1000, SRC);
        String name = ZoneFiles.fileName(z, 42);
        assertThat(name).startsWith("pier-").contains("-42-req-one_x-").endsWith("-1048576.zone");
        assertThat(ZoneFiles.fileName(z, 42)).isEqualTo(name); // stable: a reload finds it again
        assertThat(ZoneFiles.fileName(new LimitZone(LimitZone.Kind.REQ, "one/x", 1024 * 1024, "$uri", 1000, SRC), 42))
                .isNotEqualTo(name); // another key: another zone
        assertThat(ZoneFiles.fileName(new LimitZone(LimitZone.Kind.REQ, "one/x", 1024 * 1024, "$binary_remote_addr",
                5000, SRC), 42)).isEqualTo(name); // a new rate keeps the states
    }

    @Test
    void sizeGivesAboutOneStatePer64Bytes() {
        try (Arena a = Arena.ofConfined()) {
            assertThat(table(a, 1024 * 1024).buckets() * ZoneTable.WAYS).isEqualTo(16384);
        }
    }

    @Test
    void oneRequestPerSecondWithoutBurst() {
        try (Arena a = Arena.ofConfined()) {
            ReqZone z = new ReqZone(req(1000), table(a, LimitZone.MIN_SIZE));
            long k = KeyHash.of("client");
            assertThat(z.lookup(k, 0, true, 10_000)).isZero(); // first: a new state
            assertThat(z.lookup(k, 0, true, 10_100)).isEqualTo(-1 - 900); // busy: excess 0.900 over burst 0
            assertThat(z.lookup(k, 0, true, 11_000)).isZero(); // a second later it leaked away
            assertThat(z.lookup(KeyHash.of("other"), 0, true, 11_000)).isZero(); // keys are separate
        }
    }

    @Test
    void burstIsChargedOnlyWhenPassing() {
        try (Arena a = Arena.ofConfined()) {
            ReqZone z = new ReqZone(req(1000), table(a, LimitZone.MIN_SIZE));
            long k = KeyHash.of("k");
            z.lookup(k, 2000, true, 0);
            assertThat(z.lookup(k, 2000, true, 0)).isEqualTo(1000);
            assertThat(z.lookup(k, 2000, true, 0)).isEqualTo(2000);
            assertThat(z.lookup(k, 2000, true, 0)).isEqualTo(-1 - 3000); // rejected, not stored
            assertThat(z.lookup(k, 2000, true, 500)).isEqualTo(-1 - 2500);
            assertThat(z.lookup(k, 2000, true, 1000)).isEqualTo(2000);
        }
    }

    @Test
    void aFullBucketEvictsItsLeastRecentlyUsedState() {
        try (Arena a = Arena.ofConfined()) {
            ZoneTable t = table(a, LimitZone.MIN_SIZE);
            ReqZone z = new ReqZone(req(1), t); // so slow nothing leaks in the test
            // keys of one bucket: the table picks buckets from the hash, so search for nine that collide
            long[] same = new long[ZoneTable.WAYS + 1];
            long bucket = -1;
            int found = 0;
            for (long h = 1; found < same.length; h++) {
                long b = Long.remainderUnsigned(Long.rotateLeft(h, 17), t.buckets());
                if (bucket < 0) {
                    bucket = b;
                }
                if (b == bucket) {
                    same[found++] = h;
                }
            }
            for (int i = 0; i < ZoneTable.WAYS; i++) {
                z.lookup(same[i], 0, true, i);
            }
            z.lookup(same[ZoneTable.WAYS], 0, true, 100); // the ninth takes the oldest's slot
            assertThat(z.lookup(same[0], 0, true, 101)).isZero(); // forgotten: a new state
            assertThat(z.lookup(same[5], 0, true, 101)).isLessThan(0); // still remembered
        }
    }

    @Test
    void connCountsUpToTheLimitAndFreesAtZero() {
        try (Arena a = Arena.ofConfined()) {
            ZoneTable t = table(a, LimitZone.MIN_SIZE);
            ConnZone z = new ConnZone(conn(), t);
            long k = KeyHash.of("k");
            assertThat(z.acquire(k, 2)).isEqualTo(ConnZone.ACQUIRED);
            assertThat(z.acquire(k, 2)).isEqualTo(ConnZone.ACQUIRED);
            assertThat(z.acquire(k, 2)).isEqualTo(ConnZone.LIMITED);
            z.release(k);
            assertThat(z.inFlight(k)).isEqualTo(1);
            z.release(k);
            assertThat(t.used()).isZero(); // nginx deletes the node at zero
        }
    }

    @Test
    void aBucketOfRequestsInFlightHasNoRoomForANinthKey() {
        try (Arena a = Arena.ofConfined()) {
            ZoneTable t = table(a, LimitZone.MIN_SIZE);
            ConnZone z = new ConnZone(conn(), t);
            int found = 0;
            long bucket = Long.remainderUnsigned(Long.rotateLeft(1, 17), t.buckets());
            for (long h = 1; found <= ZoneTable.WAYS; h++) {
                if (Long.remainderUnsigned(Long.rotateLeft(h, 17), t.buckets()) == bucket) {
                    int r = z.acquire(h, 1);
                    assertThat(r).isEqualTo(found < ZoneTable.WAYS ? ConnZone.ACQUIRED : ConnZone.NO_ROOM);
                    found++;
                }
            }
        }
    }

    @Test
    void aLockHeldByADeadProcessIsTakenOver() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(ZoneTable.bytesFor(LimitZone.MIN_SIZE), 64);
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            int dead = (int) p.pid();
            ZoneTable ghost = new ZoneTable(seg, dead);
            long k = KeyHash.of("k");
            ghost.lock(k); // and never unlocks: the process "died" holding it
            ConnZone z = new ConnZone(conn(), new ZoneTable(seg, PID));
            assertThat(z.acquire(k, 1)).isEqualTo(ConnZone.ACQUIRED);
        }
    }

    @Test
    void aLockHeldByAnotherThreadOfThisProcessIsWaitedFor() throws Exception {
        try (Arena a = Arena.ofShared()) {
            ZoneTable t = new ZoneTable(a.allocate(ZoneTable.bytesFor(LimitZone.MIN_SIZE), 64), PID);
            long k = KeyHash.of("k");
            long base = t.lock(k);
            java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                t.unlock(t.lock(k));
                got.countDown();
            });
            // long past the spins after which a dead holder would be looked for: the same pid is alive, so it waits
            assertThat(got.await(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
            t.unlock(base);
            assertThat(got.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            other.join();
        }
    }

    @Test
    void twoMappingsOfOneFileShareCountsUnderContention(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("z.zone");
        long bytes = ZoneTable.bytesFor(LimitZone.MIN_SIZE);
        // two mappings of one file stand for two workers' (same pages, different addresses)
        ConnZone w1 = new ConnZone(conn(), new ZoneTable(ZoneFiles.map(file, bytes), PID));
        ConnZone w2 = new ConnZone(conn(), new ZoneTable(ZoneFiles.map(file, bytes), PID));
        long k = KeyHash.of("shared");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            ConnZone z = i % 2 == 0 ? w1 : w2;
            threads[i] = new Thread(() -> {
                try {
                    for (int n = 0; n < 20_000; n++) {
                        if (z.acquire(k, 3) == ConnZone.ACQUIRED) {
                            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            inFlight.decrementAndGet();
                            z.release(k);
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failed.get()).isNull();
        assertThat(maxSeen.get()).isBetween(1, 3); // the limit held across both mappings
        assertThat(w1.inFlight(k)).isZero();
        assertThat(w2.inFlight(k)).isZero();
        // a second worker opening the file finds the state, not a fresh table
        w1.acquire(k, 3);
        assertThat(new ConnZone(conn(), new ZoneTable(ZoneFiles.map(file, bytes), PID)).inFlight(k)).isEqualTo(1);
    }
}
