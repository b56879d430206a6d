package dev.pier.master;

import dev.pier.config.bind.ListenSpec;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;
import dev.pier.os.OsException;
import dev.pier.os.ReuseportCbpf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sockets of one listening address. Without {@code reuseport}: one socket every worker shares. With it: one
 * socket per worker slot, all in one SO_REUSEPORT group, plus a model of the group's index array so that a classic BPF
 * program can steer new connections to chosen slots (DESIGN.md rule 3). The kernel numbers group members in
 * {@code listen()} order and, when a member closes, moves the last member into its index; {@link #order} mirrors that.
 */
final class SocketGroup {
    /** The options its sockets have (a reload may change some on live sockets: {@link #respec}). */
    private ListenSpec spec;
    /** slot → fd; a shared socket is stored under slot -1. */
    private final Map<Integer, Integer> fds = new TreeMap<>();
    /** The slot at each index of the kernel's reuseport group. */
    private final List<Integer> order = new ArrayList<>();

    private SocketGroup(ListenSpec spec) {
        this.spec = spec;
    }

    /** Opens the shared socket, or the sockets of slots {@code 0..slots-1} in slot order. */
    static SocketGroup open(ListenSpec spec, int slots) throws OsException {
        SocketGroup g = new SocketGroup(spec);
        try {
            if (spec.reuseport()) {
                for (int k = 0; k < slots; k++) {
                    g.openSlot(k);
                }
            } else {
                g.fds.put(-1, ListenSockets.open(spec));
            }
        } catch (OsException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /**
     * Takes over sockets handed over by the master being upgraded: {@code slots[i]} and {@code fds[i]} in the group's
     * index order (-1 for a shared socket), so the index model stays the kernel's.
     */
    static SocketGroup adopt(ListenSpec spec, List<Integer> slots, List<Integer> fds) {
        SocketGroup g = new SocketGroup(spec);
        for (int i = 0; i < slots.size(); i++) {
            g.fds.put(slots.get(i), fds.get(i));
            if (spec.reuseport()) {
                g.order.add(slots.get(i));
            }
        }
        return g;
    }

    /** This group's sockets as (slot, fd) pairs in the kernel's group index order (one pair, slot -1, if shared). */
    List<int[]> inGroupOrder() {
        if (!spec.reuseport()) {
            return List.of(new int[] {-1, fds.get(-1)});
        }
        List<int[]> out = new ArrayList<>();
        for (int slot : order) {
            out.add(new int[] {slot, fds.get(slot)});
        }
        return out;
    }

    /** Records options applied to the live sockets; the address is the same. */
    void respec(ListenSpec applied) {
        if (!applied.address().equals(spec.address())) {
            throw new IllegalArgumentException(applied.address() + " is not " + spec.address());
        }
        spec = applied;
    }

    ListenSpec spec() {
        return spec;
    }

    boolean reuseport() {
        return spec.reuseport();
    }

    /** The fd slot {@code slot} serves. */
    int fd(int slot) {
        Integer fd = spec.reuseport() ? fds.get(slot) : fds.get(-1);
        if (fd == null) {
            throw new IllegalStateException(spec + " has no socket for slot " + slot);
        }
        return fd;
    }

    boolean hasSlot(int slot) {
        return !spec.reuseport() || fds.containsKey(slot);
    }

    /** Slots that have a socket (reuseport only; empty for a shared socket). */
    Set<Integer> slots() {
        return spec.reuseport() ? Set.copyOf(fds.keySet()) : Set.of();
    }

    void openSlot(int slot) throws OsException {
        if (fds.containsKey(slot)) {
            return;
        }
        fds.put(slot, ListenSockets.open(spec));
        order.add(slot);
    }

    /** Closes the master's copy of slot's socket; the kernel then fills its group index with the last member. */
    void closeSlot(int slot) {
        Integer fd = fds.remove(slot);
        if (fd == null) {
            return;
        }
        Fds.closeQuietly(fd);
        int idx = order.indexOf(slot);
        int last = order.remove(order.size() - 1);
        if (idx >= 0 && idx < order.size()) {
            order.set(idx, last);
        }
    }

    /** Number of connections waiting in the accept queue of {@code slot}'s socket. */
    int queued(int slot) throws OsException {
        return dev.pier.os.AcceptQueues.length(fd(slot));
    }

    /**
     * Attaches a program that sends every new connection to one of {@code live} (slots of this group). An empty set
     * leaves the program as it is: there must always be somewhere to go.
     */
    void steer(Set<Integer> live) throws OsException {
        if (!spec.reuseport() || live.isEmpty()) {
            return;
        }
        List<Integer> indices = new ArrayList<>();
        for (int slot : new java.util.TreeSet<>(live)) {
            int idx = order.indexOf(slot);
            if (idx >= 0) {
                indices.add(idx);
            }
        }
        if (indices.isEmpty()) {
            return;
        }
        ReuseportCbpf.attach(fds.get(order.get(indices.get(0))),
                indices.stream().mapToInt(Integer::intValue).toArray());
    }

    void close() {
        for (int fd : fds.values()) {
            Fds.closeQuietly(fd);
        }
        fds.clear();
        order.clear();
    }

    @Override
    public String toString() {
        return spec + (spec.reuseport() ? " (reuseport, slots " + fds.keySet() + ")" : "");
    }
}
