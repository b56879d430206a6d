package dev.pier.http.proxy.upstream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.pier.http.proxy.upstream.Peers.once;
import static dev.pier.http.proxy.upstream.Peers.peer;
import static org.assertj.core.api.Assertions.assertThat;

class HashingBalancersTest {
    private final Peers.Clock clock = new Peers.Clock();

    private static byte[] ip(int a, int b, int c, int d) {
        return new byte[]{(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ipHashFollowsNginxFormulaOnFirstThreeOctets() {
        Upstream u = new Upstream("u", Peers.set(1, 1, 1), new IpHash(), clock);
        // nginx: hash = 89; for 192, 168, 1: hash = (hash * 113 + octet) % 6271; peer = hash % total_weight
        long h = 89;
        for (int o : new int[]{192, 168, 1}) {
            h = (h * 113 + o) % 6271;
        }
        int expected = 8001 + (int) (h % 3);
        assertThat(once(u, new Attempt(ip(192, 168, 1, 7), null))).isEqualTo(expected);
        // the fourth octet does not matter: one /24 sticks to one peer
        for (int last = 0; last < 256; last += 17) {
            assertThat(once(u, new Attempt(ip(192, 168, 1, last), null))).isEqualTo(expected);
        }
    }

    @Test
    void ipHashSpreadsNetworksAndRehashesPastAFailedPeer() {
        Upstream u = new Upstream("u", Peers.set(1, 1, 1), new IpHash(), clock);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int net = 0; net < 300; net++) {
            counts.merge(once(u, new Attempt(ip(10, net / 256, net % 256, 1), null)), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(8001, 8002, 8003);
        assertThat(counts.values()).allMatch(c -> c > 50);
        // a retry for the same client never repeats the failed peer
        Attempt a = new Attempt(ip(192, 168, 1, 7), null);
        Peer first = u.select(a);
        u.release(first, true);
        Peer second = u.select(a);
        assertThat(second).isNotNull().isNotSameAs(first);
    }

    @Test
    void keyHashIsStableAndMatchesMemcachedFormula() {
        Upstream u = new Upstream("u", Peers.set(1, 1, 1, 1), new KeyHash(), clock);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(key("/some/uri"));
        long h = (crc.getValue() >>> 16) & 0x7fff;
        int expected = 8001 + (int) (h % 4);
        for (int i = 0; i < 5; i++) {
            assertThat(once(u, new Attempt(null, key("/some/uri")))).isEqualTo(expected);
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            counts.merge(once(u, new Attempt(null, key("/k" + i))), 1, Integer::sum);
        }
        assertThat(counts.values()).allMatch(c -> c > 700);
    }

    @Test
    void consistentHashMovesAboutOneNthOfKeysWhenAServerIsAdded() {
        int n = 4;
        PeerSet before = Peers.set(1, 1, 1, 1);
        PeerSet after = Peers.set(1, 1, 1, 1, 1);
        Upstream u1 = new Upstream("u", before, new ConsistentHash(before), clock);
        Upstream u2 = new Upstream("u", after, new ConsistentHash(after), clock);
        int keys = 10_000;
        int moved = 0;
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            int p1 = once(u1, new Attempt(null, key("key-" + i)));
            int p2 = once(u2, new Attempt(null, key("key-" + i)));
            counts.merge(p1, 1, Integer::sum);
            if (p1 != p2) {
                moved++;
                assertThat(p2).isEqualTo(8005); // keys only move to the new server
            }
        }
        assertThat(moved).isBetween(keys / (n + 1) / 2, keys / (n + 1) * 3 / 2);
        assertThat(counts.values()).allMatch(c -> c > keys / n / 2);
    }

    @Test
    void consistentHashRingHas160PointsPerWeightUnit() {
        PeerSet s = new PeerSet(List.of(peer(8001, 1), peer(8002, 2)), List.of());
        assertThat(new ConsistentHash(s).points()).isBetween(478, 480); // duplicates (very rare) collapse
    }

    @Test
    void consistentHashBaseSplitsHostAndPort() {
        assertThat(ConsistentHash.base("example.com:8080")).isEqualTo(key("example.com\0" + "8080"));
        assertThat(ConsistentHash.base("example.com")).isEqualTo(key("example.com\0" + "80"));
        assertThat(ConsistentHash.base("unix:/tmp/s")).isEqualTo(key("/tmp/s\0"));
    }

    @Test
    void consistentHashSkipsAFailedServerForTheSameKey() {
        PeerSet s = Peers.set(1, 1, 1);
        Upstream u = new Upstream("u", s, new ConsistentHash(s), clock);
        Attempt a = new Attempt(null, key("abc"));
        Peer first = u.select(a);
        u.release(first, true);
        Peer second = u.select(a);
        assertThat(second).isNotNull().isNotSameAs(first);
        // new requests for the key avoid the disabled peer too
        assertThat(once(u, new Attempt(null, key("abc")))).isNotEqualTo(((java.net.InetSocketAddress) first.address()).getPort());
    }

    @Test
    void leastConnPrefersTheIdlestPeerRelativeToWeight() {
        PeerSet s = Peers.set(1, 1, 2);
        Upstream u = new Upstream("u", s, new LeastConn(), clock);
        Peer busy1 = u.select(Attempt.plain());
        Peer busy2 = u.select(Attempt.plain());
        Peer busy3 = u.select(Attempt.plain());
        // all three now have one connection; the weight-2 peer has the lowest conns/weight
        assertThat(((java.net.InetSocketAddress) u.select(Attempt.plain()).address()).getPort()).isEqualTo(8003);
        assertThat(List.of(busy1, busy2, busy3)).extracting(p -> ((java.net.InetSocketAddress) p.address()).getPort())
                .containsExactlyInAnyOrder(8001, 8002, 8003);
    }

    @Test
    void leastConnTiesAreBrokenByWeightedRoundRobin() {
        Upstream u = new Upstream("u", Peers.set(5, 1, 1), new LeastConn(), clock);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            sb.append((char) ('a' + once(u, Attempt.plain()) - 8001)); // released at once: always a tie at 0
        }
        assertThat(sb).hasToString("aabacaa");
    }

    @Test
    void randomFollowsWeights() {
        Upstream u = new Upstream("u", Peers.set(3, 1), new RandomBalancer(false, new SplittableRandom(7)), clock);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(once(u, Attempt.plain()), 1, Integer::sum);
        }
        assertThat(counts.get(8001)).isBetween(5600, 6400);
        assertThat(counts.get(8002)).isBetween(1600, 2400);
    }

    @Test
    void randomTwoPicksTheLessLoadedOfTwo() {
        PeerSet s = Peers.set(1, 1);
        Upstream u = new Upstream("u", s, new RandomBalancer(true, new SplittableRandom(1)), clock);
        Peer held = u.select(Attempt.plain()); // one connection stays open
        for (int i = 0; i < 50; i++) {
            Peer p = u.select(Attempt.plain());
            assertThat(p).isNotSameAs(held);
            u.release(p, false);
        }
    }
}
