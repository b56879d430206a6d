package dev.pier.master;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.ipc.ControlMessage;
import dev.pier.log.ErrorLog;
import dev.pier.os.ListenSockets;
import dev.pier.os.OsException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every listening socket the master owns, by address and slot (DESIGN.md rules 1–3). It lives as long as the master:
 * a reload {@link #prepare}s what the next generation needs (opening only what is new, so unchanged sockets keep
 * their fds, slots and queues), and sockets the new generation no longer needs are {@link #retire}d only once no
 * worker holds them any more.
 */
public final class SocketTable implements AutoCloseable {
    private final Map<ListenAddress, SocketGroup> groups = new LinkedHashMap<>();

    private SocketTable() {
    }

    /** Opens every socket; on any failure closes what was opened and rethrows (nothing half-bound is left). */
    public static SocketTable open(List<ListenSpec> specs, int slots) throws OsException {
        SocketTable t = new SocketTable();
        try {
            for (ListenSpec spec : specs) {
                t.groups.put(spec.address(), SocketGroup.open(spec, slots));
            }
        } catch (OsException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Every socket, for a binary upgrade: the specs with slots, and the fds in the same order. */
    public record Inventory(List<ControlMessage.Handoff.Socket> sockets, int[] fds) {
    }

    public Inventory inventory() {
        List<ControlMessage.Handoff.Socket> list = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        for (SocketGroup g : groups.values()) {
            for (int[] sf : g.inGroupOrder()) {
                list.add(new ControlMessage.Handoff.Socket(g.spec(), sf[0]));
                fds.add(sf[1]);
            }
        }
        return new Inventory(list, fds.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A table made of the sockets a master being upgraded handed over (DESIGN.md rule 7: no rebinding). */
    public static SocketTable adopt(ControlMessage.Handoff handoff, int[] fds) {
        SocketTable t = new SocketTable();
        Map<ListenAddress, List<Integer>> slots = new LinkedHashMap<>();
        Map<ListenAddress, List<Integer>> fdLists = new LinkedHashMap<>();
        Map<ListenAddress, ListenSpec> specs = new LinkedHashMap<>();
        for (int i = 0; i < handoff.sockets().size(); i++) {
            ControlMessage.Handoff.Socket s = handoff.sockets().get(i);
            specs.putIfAbsent(s.spec().address(), s.spec());
            slots.computeIfAbsent(s.spec().address(), a -> new ArrayList<>()).add(s.slot());
            fdLists.computeIfAbsent(s.spec().address(), a -> new ArrayList<>()).add(fds[i]);
        }
        specs.forEach((a, spec) -> t.groups.put(a, SocketGroup.adopt(spec, slots.get(a), fdLists.get(a))));
        return t;
    }

    /** The fds slot {@code slot} serves for {@code specs}, in their order. */
    public int[] fdsForSlot(List<ListenSpec> specs, int slot) {
        int[] out = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            out[i] = group(specs.get(i).address()).fd(slot);
        }
        return out;
    }

    /** The specs of the sockets actually open for {@code wanted}'s addresses (options may be older ones). */
    public List<ListenSpec> actualSpecs(List<ListenSpec> wanted) {
        return wanted.stream().map(s -> group(s.address()).spec()).toList();
    }

    public int socketCount() {
        int n = 0;
        for (SocketGroup g : groups.values()) {
            n += g.reuseport() ? g.slots().size() : 1;
        }
        return n;
    }

    private SocketGroup group(ListenAddress a) {
        SocketGroup g = groups.get(a);
        if (g == null) {
            throw new IllegalStateException("no socket for " + a);
        }
        return g;
    }

    /** What {@link #prepare} opened, so that a failed reload can close exactly that. */
    public record Change(List<ListenAddress> newGroups, Map<ListenAddress, List<Integer>> newSlots) {
    }

    /**
     * Opens what a generation with {@code specs} and {@code slots} workers needs and this table lacks. An address
     * whose options changed keeps its socket, and the options Linux lets change on a live socket are applied to it
     * (backlog, buffers, keepalive, fastopen, deferred), as nginx does; the others are reported with a warning.
     * On failure everything opened here is closed again and the table is as it was.
     */
    public Change prepare(List<ListenSpec> specs, int slots, ErrorLog log) throws OsException {
        List<ListenAddress> newGroups = new ArrayList<>();
        Map<ListenAddress, List<Integer>> newSlots = new LinkedHashMap<>();
        Change change = new Change(newGroups, newSlots);
        try {
            for (ListenSpec spec : specs) {
                SocketGroup g = groups.get(spec.address());
                if (g == null) {
                    groups.put(spec.address(), SocketGroup.open(spec, slots));
                    newGroups.add(spec.address());
                    continue;
                }
                if (!g.spec().equals(spec)) {
                    reconfigure(g, spec, log);
                }
                if (g.reuseport()) {
                    for (int k = 0; k < slots; k++) {
                        if (!g.hasSlot(k)) {
                            g.openSlot(k);
                            newSlots.computeIfAbsent(spec.address(), a -> new ArrayList<>()).add(k);
                        }
                    }
                }
            }
        } catch (OsException e) {
            rollback(change);
            throw e;
        }
        return change;
    }

    /**
     * Applies {@code next}'s options to every socket of {@code g} where Linux allows it on a live socket (nginx's
     * {@code ngx_configure_listening_sockets}); the group then remembers what its sockets really have. What cannot
     * change is logged with a warning: a second socket on the same address could not even bind while this one listens.
     */
    private static void reconfigure(SocketGroup g, ListenSpec next, ErrorLog log) throws OsException {
        ListenSpec cur = g.spec();
        List<String> kept = List.of();
        for (int fd : fdsOf(g)) {
            kept = ListenSockets.reconfigure(fd, cur, next);
        }
        g.respec(new ListenSpec(cur.address(), cur.reuseport(), next.backlog(),
                next.rcvbuf() == -1 ? cur.rcvbuf() : next.rcvbuf(),
                next.sndbuf() == -1 ? cur.sndbuf() : next.sndbuf(), next.deferred(), cur.ipv6only(),
                next.soKeepalive().mode() == dev.pier.config.bind.SoKeepalive.Mode.DEFAULT
                        ? cur.soKeepalive() : next.soKeepalive(), next.fastopen(), cur.bind()));
        if (!kept.isEmpty()) {
            log.warn("the listening socket " + cur.address() + " keeps its " + String.join(", ", kept)
                    + " setting: it cannot change on a live socket and applies after a restart");
        }
    }

    private static List<Integer> fdsOf(SocketGroup g) {
        if (!g.reuseport()) {
            return List.of(g.fd(0));
        }
        return g.slots().stream().map(g::fd).toList();
    }

    /** Undoes a {@link #prepare}: closes the sockets it opened. */
    public void rollback(Change change) {
        change.newSlots().forEach((a, slots) -> {
            SocketGroup g = groups.get(a);
            if (g != null) {
                slots.forEach(g::closeSlot);
            }
        });
        for (ListenAddress a : change.newGroups()) {
            SocketGroup g = groups.remove(a);
            if (g != null) {
                g.close();
            }
        }
    }

    /**
     * Closes the sockets the current generation ({@code specs}, {@code slots}) does not use and no live worker
     * ({@code held}: slots of workers still running, any generation) can still be accepting on.
     */
    public void retire(List<ListenSpec> specs, int slots, Set<Integer> held, ErrorLog log) {
        Set<ListenAddress> wanted = new HashSet<>();
        specs.forEach(s -> wanted.add(s.address()));
        var it = groups.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            SocketGroup g = e.getValue();
            if (!wanted.contains(e.getKey())) {
                boolean stillHeld = g.reuseport() ? g.slots().stream().anyMatch(held::contains) : !held.isEmpty();
                if (!stillHeld) {
                    log.notice("closing listening socket " + g);
                    g.close();
                    it.remove();
                }
                continue;
            }
            if (g.reuseport()) {
                for (int k : g.slots()) {
                    if (k >= slots && !held.contains(k)) {
                        log.notice("closing listening socket " + g.spec().address() + " of retired slot " + k);
                        g.closeSlot(k);
                    }
                }
            }
        }
    }

    /** Slots of retiring sockets (≥ {@code slots}) in reuseport groups the current generation still uses. */
    public Set<Integer> retiringSlots(int slots) {
        Set<Integer> out = new HashSet<>();
        for (SocketGroup g : groups.values()) {
            for (int k : g.slots()) {
                if (k >= slots) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    /** Whether any group is a reuseport group: only those have a queue per slot, and members another process adds. */
    public boolean hasReuseport() {
        for (SocketGroup g : groups.values()) {
            if (g.reuseport()) {
                return true;
            }
        }
        return false;
    }

    /** Connections waiting in the accept queues of each slot's reuseport sockets (summed over addresses). */
    public Map<Integer, Integer> queuedBySlot(Set<Integer> slots) {
        Map<Integer, Integer> out = new java.util.HashMap<>();
        for (int k : slots) {
            out.put(k, 0);
        }
        for (SocketGroup g : groups.values()) {
            if (!g.reuseport()) {
                continue;
            }
            for (int k : slots) {
                if (g.hasSlot(k)) {
                    try {
                        out.merge(k, g.queued(k), Integer::sum);
                    } catch (OsException e) {
                        // a socket being closed: nothing queued to report
                    }
                }
            }
        }
        return out;
    }

    /**
     * Listening sockets on the ports of Pier's reuseport groups that Pier does not hold, by address: another
     * process of the same uid joined the group (see {@link ReuseportIntruders}).
     */
    public Map<ListenAddress, Set<Long>> intruders() {
        Map<ListenAddress, Set<Long>> out = new LinkedHashMap<>();
        Set<Long> ours = new HashSet<>();
        for (SocketGroup g : groups.values()) {
            for (int[] sf : g.inGroupOrder()) {
                ours.add(ReuseportIntruders.inodeOf(sf[1]));
            }
        }
        for (SocketGroup g : groups.values()) {
            if (g.reuseport() && g.spec().address() instanceof ListenAddress.Inet inet) {
                Set<Long> foreign = ReuseportIntruders.foreign(inet, ours);
                if (!foreign.isEmpty()) {
                    out.put(inet, foreign);
                }
            }
        }
        return out;
    }

    /** Steers new connections of every reuseport group to {@code live} slots (see {@link SocketGroup#steer}). */
    public void steer(Set<Integer> live, ErrorLog log) {
        for (SocketGroup g : groups.values()) {
            try {
                g.steer(live);
            } catch (OsException e) {
                log.alert("cannot steer connections of " + g + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        groups.values().forEach(SocketGroup::close);
        groups.clear();
    }
}
