package dev.pier.http.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures: peers on 127.0.0.1 named by their port, and a settable clock. */
final class Peers {
    private Peers() {
    }

    static Peer peer(int port, int weight) {
        return Peer.of("127.0.0.1:" + port, new InetSocketAddress("127.0.0.1", port), weight);
    }

    static Peer peer(int port, int weight, int maxFails, long failTimeout, int maxConns, boolean down) {
        return new Peer("127.0.0.1:" + port, new InetSocketAddress("127.0.0.1", port), weight, maxFails,
                failTimeout, maxConns, down);
    }

    static PeerSet set(int... weights) {
        List<Peer> l = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            l.add(peer(8001 + i, weights[i]));
        }
        return new PeerSet(l, List.of());
    }

    static final class Clock implements java.util.function.LongSupplier {
        long now = 1_000_000;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    /** Picks one peer for a fresh attempt and releases it at once (success); returns its port. */
    static int once(Upstream u, Attempt a) {
        Peer p = u.select(a);
        if (p == null) {
            return -1;
        }
        u.release(p, false);
        return ((java.net.InetSocketAddress) p.address()).getPort();
    }
}
