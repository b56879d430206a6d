package dev.pier.http.proxy.upstream;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * nginx's {@code random} and {@code random two [least_conn]}: a peer drawn with probability proportional to its
 * weight; with {@code two}, two distinct usable peers are drawn and the one with fewer connections relative to its
 * weight wins (the earlier draw on a tie). After 20 unusable draws round-robin decides.
 */
public final class RandomBalancer implements Balancer {
    private final boolean two;
    private final RandomGenerator random;

    public RandomBalancer(boolean two, RandomGenerator random) {
        this.two = two;
        this.random = random;
    }

    public boolean two() {
        return two;
    }

    @Override
    public Peer pick(PeerSet peers, Attempt a, long now) {
        List<Peer> list = peers.primary();
        if (list.size() == 1 || a.methodTries > METHOD_TRIES) {
            return new RoundRobin().pick(peers, a, now);
        }
        int prev = -1;
        for (;;) {
            int i = KeyHash.byWeight(peers, random.nextInt(peers.totalWeight()));
            Peer p = list.get(i);
            if (i != prev && !a.tried(false, i) && p.usable(now)) {
                if (!two) {
                    a.mark(p, false, i);
                    return p;
                }
                if (prev >= 0) {
                    Peer q = list.get(prev);
                    int chosen = (long) p.conns * q.weight() > (long) q.conns * p.weight() ? prev : i;
                    Peer c = list.get(chosen);
                    a.mark(c, false, chosen);
                    return c;
                }
                prev = i;
            }
            if (++a.methodTries > METHOD_TRIES) {
                return new RoundRobin().pick(peers, a, now);
            }
        }
    }
}
