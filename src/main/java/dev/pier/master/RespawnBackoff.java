package dev.pier.master;

import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait before respawning a slot whose worker died. A worker that served for a while is replaced at once;
 * one that keeps dying right after start (a broken JVM flag, a full disk) is retried after 100 ms, 200 ms, ... up to
 * 5 s, so the master neither spins nor gives up.
 */
final class RespawnBackoff {
    static final Duration QUICK_DEATH = Duration.ofSeconds(2);
    private static final long MAX_MILLIS = 5_000;

    private final int[] quickDeaths;

    RespawnBackoff(int slots) {
        quickDeaths = new int[slots];
    }

    /** Records a death in {@code slot} of a worker started at {@code started}; returns the delay before respawn. */
    Duration onDeath(int slot, Instant started, Instant now) {
        if (slot >= quickDeaths.length) {
            return Duration.ZERO;
        }
        if (Duration.between(started, now).compareTo(QUICK_DEATH) >= 0) {
            quickDeaths[slot] = 0;
            return Duration.ZERO;
        }
        int n = ++quickDeaths[slot];
        if (n <= 1) {
            return Duration.ZERO;
        }
        long millis = Math.min(MAX_MILLIS, 100L << Math.min(n - 2, 10));
        return Duration.ofMillis(millis);
    }

}
