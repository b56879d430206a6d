package dev.pier.http.proxy.upstream;

import java.util.List;

/**
 * nginx's smooth weighted round-robin ({@code ngx_http_upstream_get_peer}): every usable, untried peer adds its
 * effective weight to its current weight; the largest current weight wins and pays back the sum of the effective
 * weights. Weights 5,1,1 give {@code a a b a c a a}: spread out, never bunched. A failed peer's effective weight drops
 * by {@code weight / max_fails} and climbs back by one per pick, so a recovering peer is ramped up. The backup list is
 * used only when no primary peer is usable.
 */
public record RoundRobin() implements Balancer {

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

    /** One step of smooth WRR over {@code list}; -1 if none usable. */
    static int pickIndex(List<Peer> list, Attempt a, boolean backup, long now) {
        int best = -1;
        int total = 0;
        for (int i = 0; i < list.size(); i++) {
            Peer p = list.get(i);
            if (a.tried(backup, i) || !p.usable(now)) {
                continue;
            }
            p.currentWeight += p.effectiveWeight;
            total += p.effectiveWeight;
            if (p.effectiveWeight < p.weight()) {
                p.effectiveWeight++;
            }
            if (best < 0 || p.currentWeight > list.get(best).currentWeight) {
                best = i;
            }
        }
        if (best >= 0) {
            list.get(best).currentWeight -= total;
        }
        return best;
    }
}
