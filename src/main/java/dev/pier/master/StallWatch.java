package dev.pier.master;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds reuseport slots whose worker has stopped accepting (stalled in a long GC, stopped, stuck in a blocking call):
 * per-slot queues are what make reuseport fast, and also what lets one stalled worker's queue grow while the others
 * idle (Cloudflare measured 144 ms maximum latency against 73 ms for a shared queue). A slot counts as stalled when
 * its accept queue is non-empty and has not shrunk for {@link #STALL_SAMPLES} samples in a row; it recovers as soon
 * as its queue is empty again. The master then steers new connections away from stalled slots (the queued ones still
 * wait for their worker: nothing is dropped), but never away from every slot.
 */
final class StallWatch {
    /** Samples (taken every {@link Steering#STALL_CHECK} ms) a queue must stay non-empty without shrinking. */
    static final int STALL_SAMPLES = 3;

    private final Map<Integer, Integer> lastQueued = new HashMap<>();
    private final Map<Integer, Integer> stuckFor = new HashMap<>();
    private final Set<Integer> stalled = new HashSet<>();

    /**
     * Takes one sample: {@code queued} maps each served slot to the connections waiting in its sockets. Returns the
     * slots now considered stalled (a subset of the keys, never all of them when there are two or more).
     */
    Set<Integer> sample(Map<Integer, Integer> queued) {
        lastQueued.keySet().retainAll(queued.keySet());
        stuckFor.keySet().retainAll(queued.keySet());
        stalled.retainAll(queued.keySet());
        for (Map.Entry<Integer, Integer> e : queued.entrySet()) {
            int slot = e.getKey();
            int now = e.getValue();
            Integer before = lastQueued.put(slot, now);
            if (now == 0) {
                stuckFor.remove(slot);
                stalled.remove(slot);
            } else if (before != null && now >= before) {
                stuckFor.merge(slot, 1, Integer::sum);
            } else {
                stuckFor.put(slot, 0);
            }
        }
        for (Map.Entry<Integer, Integer> e : stuckFor.entrySet()) {
            if (e.getValue() >= STALL_SAMPLES) {
                stalled.add(e.getKey());
            }
        }
        if (!stalled.isEmpty() && stalled.size() >= queued.size()) {
            // every slot looks stuck: that is overload, not one stalled worker; steer nowhere special
            stalled.clear();
        }
        return Set.copyOf(stalled);
    }
}
