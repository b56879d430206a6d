package dev.pier.http.proxy.upstream;

/**
 * nginx's {@code ip_hash}: the first three octets of an IPv4 client address (the whole address for IPv6) hashed with
 * {@code hash = (hash * 113 + octet) % 6271} from 89, then mapped onto the weights. A peer that cannot be used makes
 * the hash go round again with the same formula; after 20 rounds, or with a single peer, plain round-robin decides.
 * Clients of one /24 therefore stick to one peer while it is usable.
 */
public record IpHash() implements Balancer {
    static final int INITIAL = 89;

    @Override
    public Peer pick(PeerSet peers, Attempt a, long now) {
        if (a.methodTries > METHOD_TRIES || peers.primary().size() == 1) {
            return new RoundRobin().pick(peers, a, now);
        }
        if (!a.hashInitialised) {
            a.hash = INITIAL;
            a.hashInitialised = true;
        }
        int len = a.clientAddress.length == 4 ? 3 : a.clientAddress.length;
        for (;;) {
            long h = a.hash;
            for (int i = 0; i < len; i++) {
                h = (h * 113 + (a.clientAddress[i] & 0xff)) % 6271;
            }
            a.hash = h;
            int index = KeyHash.byWeight(peers, (int) (h % peers.totalWeight()));
            Peer p = peers.primary().get(index);
            if (!a.tried(false, index) && p.usable(now)) {
                a.mark(p, false, index);
                return p;
            }
            if (++a.methodTries > METHOD_TRIES) {
                return new RoundRobin().pick(peers, a, now);
            }
        }
    }
}
