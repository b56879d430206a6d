package dev.pier.http.proxy.upstream;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * nginx's {@code hash KEY} without {@code consistent}, compatible with Cache::Memcached:
 * {@code hash += (crc32([REHASH] KEY) >> 16) & 0x7fff}, the rehash count prefixed from the second round on, the
 * running sum mapped onto the weights. After 20 unusable picks plain round-robin decides.
 */
public record KeyHash() implements Balancer {

    @Override
    public Peer pick(PeerSet peers, Attempt a, long now) {
        if (a.methodTries > METHOD_TRIES || peers.primary().size() == 1) {
            return new RoundRobin().pick(peers, a, now);
        }
        for (;;) {
            CRC32 crc = new CRC32();
            if (a.rehash > 0) {
                crc.update(Integer.toString(a.rehash).getBytes(StandardCharsets.US_ASCII));
            }
            crc.update(a.key);
            long h = (crc.getValue() >>> 16) & 0x7fff;
            a.hash += h;
            a.rehash++;
            int index = byWeight(peers, (int) (a.hash % peers.totalWeight()));
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

    /** The primary peer whose weight range contains {@code w} ({@code 0 <= w < totalWeight}). */
    static int byWeight(PeerSet peers, int w) {
        int i = 0;
        while (w >= peers.primary().get(i).weight()) {
            w -= peers.primary().get(i).weight();
            i++;
        }
        return i;
    }
}
