package dev.pier.master;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where new connections go: the reuseport group's BPF program ({@link SocketTable#steer}) selects the current
 * generation's served slots, minus the ones whose worker stalled ({@link StallWatch}). Also watches the groups for
 * sockets that are not Pier's ({@link SocketTable#intruders}) and tells the operator once about each.
 *
 * <p>Both are periodic checks the master's loop runs between events ({@link #tickMillis}, {@link #onTick}), and only
 * where they can find something: without a reuseport socket there is neither a queue per worker nor a group to join,
 * and the master sleeps until an event arrives, as nginx's master does.
 */
final class Steering {
    /** How often the accept queues are sampled for stalled workers, in milliseconds. */
    static final long STALL_CHECK = 100;
    /** How often the groups are searched for sockets that are not Pier's, in milliseconds. */
    static final long INTRUDER_CHECK = 1000;

    private final Cycle c;
    private final Workers workers;
    private final StallWatch stallWatch = new StallWatch();
    private Set<Integer> stalled = Set.of();
    private final Set<Long> reportedIntruders = new HashSet<>();
    /** {@link System#nanoTime} of the last search for intruders. */
    private long intrudersChecked = System.nanoTime();

    Steering(Cycle c, Workers workers) {
        this.c = c;
        this.workers = workers;
    }

    /** New connections go to served slots that are not stalled. */
    void steer() {
        Set<Integer> live = new HashSet<>(workers.servedSlots());
        live.removeAll(stalled);
        c.sockets.steer(live.isEmpty() ? workers.servedSlots() : live, c.log);
    }

    /** Every slot of the current generation takes new connections (workers start, or start again). */
    void steerToAllSlots() {
        c.sockets.steer(workers.allSlots(), c.log);
    }

    /** A new generation serves: what was learnt about the old one's workers no longer applies. */
    void reset() {
        stalled = Set.of();
        steerToAllSlots();
    }

    /** Milliseconds between two calls of {@link #onTick} the sockets and the pool ask for now; 0: none. */
    long tickMillis() {
        return tickMillis(c.sockets.hasReuseport(), c.config.main().workerProcesses());
    }

    /**
     * Stalls are looked for with two workers or more behind reuseport sockets, intruders wherever there is a reuseport
     * group; with no reuseport socket there is nothing to look for.
     */
    static long tickMillis(boolean reuseport, int workerProcesses) {
        if (!reuseport) {
            return 0;
        }
        return workerProcesses >= 2 ? STALL_CHECK : INTRUDER_CHECK;
    }

    /**
     * The periodic check: stalls every time, intruders about once a second. {@code twoMasters}: during a binary
     * upgrade two masters hold the same sockets, and each sees only its own descriptors, so intruders are not judged.
     */
    void onTick(boolean twoMasters) {
        checkStalls();
        long now = System.nanoTime();
        if (now - intrudersChecked >= TimeUnit.MILLISECONDS.toNanos(INTRUDER_CHECK) && !twoMasters) {
            intrudersChecked = now;
            checkIntruders();
        }
    }

    /**
     * Samples the accept queues: a worker whose queue keeps growing gets no new connections until it has caught up
     * (the ones already queued wait for it: nothing is dropped). See {@link StallWatch}.
     */
    private void checkStalls() {
        if (!c.running() || c.pending != null || c.workersStopped || c.config.main().workerProcesses() < 2) {
            return;
        }
        // only workers that reported ready can stall; one still starting up is expected not to accept yet
        Set<Integer> ready = workers.readySlots();
        Set<Integer> now = ready.size() < 2 ? Set.of() : stallWatch.sample(c.sockets.queuedBySlot(ready));
        if (now.equals(stalled)) {
            return;
        }
        for (int k : now) {
            if (!stalled.contains(k)) {
                c.log.warn("the worker of slot " + k + " is not accepting (its queue keeps growing); new connections "
                        + "go to the other slots until it catches up");
            }
        }
        for (int k : stalled) {
            if (!now.contains(k)) {
                c.log.notice("the worker of slot " + k + " is accepting again");
            }
        }
        stalled = now;
        steer();
    }

    /**
     * A listening socket on one of our reuseport ports that is not ours joined the group. The BPF program never
     * selects it, so it gets no connections; the operator should still know.
     */
    private void checkIntruders() {
        c.sockets.intruders().forEach((address, inodes) -> {
            for (long inode : inodes) {
                if (reportedIntruders.add(inode)) {
                    c.log.alert("a socket that is not Pier's (inode " + inode + ") joined the reuseport group of "
                            + address + "; it receives no connections (the group's BPF program selects Pier's own)");
                }
            }
        });
    }
}
