package dev.pier.http.proxy.upstream;

import java.util.List;

/**
 * nginx's {@code least_conn}: the usable peer with the fewest active connections relative to its weight
 * ({@code conns_a * weight_b < conns_b * weight_a}); several equal ones are chosen among by smooth weighted
 * round-robin. Backup peers are used only when no primary peer is usable.
 */
public record LeastConn() implements Balancer {

    @Override
    public Peer pick(PeerSet peers, Attempt a, long now) {
        int i = pickIndex(peers.primary(), a, false, now);
        if (i >= 0) {
            Peer p = peers.primary().get(i);
            a.mark(p, false, i);
            return p;
        }
        i = pickIndex(peers.backup(), a, true, now);
        if (i >= 0) {
            Peer p = peers.backup().get(i);
            a.mark(p, true, i);
            return p;
        }
        return null;
    }

    private static int pickIndex(List<Peer> list, Attempt a, boolean backup, long now) {
        int best = -1;
        boolean many = false;
        for (int i = 0; i < list.size(); i++) {
            Peer p = list.get(i);
            if (a.tried(backup, i) || !p.usable(now)) {
                continue;
            }
            if (best < 0) {
                best = i;
                many = false;
                continue;
            }
            Peer b = list.get(best);
            long lhs = (long) p.conns * b.weight();
            long rhs = (long) b.conns * p.weight();
            if (lhs < rhs) {
                best = i;
                many = false;
            } else if (lhs == rhs) {
                many = true;
            }
        }
        if (best < 0 || !many) {
            return best;
        }
        // ties: smooth WRR among the peers as loaded as the best one
        Peer least = list.get(best);
        int chosen = -1;
        int total = 0;
        for (int i = best; i < list.size(); i++) {
            Peer p = list.get(i);
            if (a.tried(backup, i) || !p.usable(now)
                    || (long) p.conns * least.weight() != (long) least.conns * p.weight()) {
                continue;
            }
            p.currentWeight += p.effectiveWeight;
            total += p.effectiveWeight;
            if (p.effectiveWeight < p.weight()) {
                p.effectiveWeight++;
            }
            if (chosen < 0 || p.currentWeight > list.get(chosen).currentWeight) {
                chosen = i;
            }
        }
        list.get(chosen).currentWeight -= total;
        return chosen;
    }
}
