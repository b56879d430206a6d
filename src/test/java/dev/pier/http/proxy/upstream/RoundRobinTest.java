package dev.pier.http.proxy.upstream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.pier.http.proxy.upstream.Peers.once;
import static dev.pier.http.proxy.upstream.Peers.peer;
import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinTest {
    private final Peers.Clock clock = new Peers.Clock();

    private String sequence(Upstream u, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + once(u, Attempt.plain()) - 8001));
        }
        return sb.toString();
    }

    @Test
    void smoothWeightedSequenceMatchesNginx() {
        // nginx's comment in ngx_http_upstream_round_robin.c: weights 5,1,1 give a a b a c a a
        Upstream u = new Upstream("u", Peers.set(5, 1, 1), new RoundRobin(), clock);
        assertThat(sequence(u, 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void equalWeightsAlternate() {
        Upstream u = new Upstream("u", Peers.set(1, 1, 1), new RoundRobin(), clock);
        assertThat(sequence(u, 6)).isEqualTo("abcabc");
    }

    @Test
    void retryWithinOneRequestNeverRepeatsAPeer() {
        Upstream u = new Upstream("u", Peers.set(1, 1, 1), new RoundRobin(), clock);
        Attempt a = Attempt.plain();
        List<Integer> ports = new ArrayList<>();
        for (Peer p; (p = u.select(a)) != null; ) {
            ports.add(((java.net.InetSocketAddress) p.address()).getPort());
            u.release(p, true);
        }
        assertThat(ports).containsExactlyInAnyOrder(8001, 8002, 8003);
    }

    @Test
    void failedPeerIsSkippedForFailTimeoutThenTriedAgain() {
        Peer a = peer(8001, 1, 2, 10_000, 0, false);
        Peer b = peer(8002, 1, 2, 10_000, 0, false);
        Upstream u = new Upstream("u", new PeerSet(List.of(a, b), List.of()), new RoundRobin(), clock);
        // two failures of a within fail_timeout (max_fails=2)
        for (int fails = 0; fails < 2; ) {
            Attempt at = Attempt.plain();
            Peer p = u.select(at);
            boolean disabled = u.release(p, p == a);
            if (p == a) {
                fails++;
                assertThat(disabled).isEqualTo(fails == 2);
            }
        }
        clock.now += 1_000;
        for (int i = 0; i < 10; i++) {
            assertThat(once(u, Attempt.plain())).isEqualTo(8002); // a is out
        }
        clock.now += 10_000; // fail_timeout over: a is tried again, and a success clears its failures
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(once(u, Attempt.plain()));
        }
        assertThat(seen).contains(8001);
        clock.now += 1;
        assertThat(a.fails).isZero();
    }

    @Test
    void oneFailureBelowMaxFailsKeepsPeerButLowersItsWeight() {
        Peer a = peer(8001, 10, 5, 10_000, 0, false);
        Peer b = peer(8002, 10, 5, 10_000, 0, false);
        Upstream u = new Upstream("u", new PeerSet(List.of(a, b), List.of()), new RoundRobin(), clock);
        Attempt at = Attempt.plain();
        Peer p = u.select(at);
        assertThat(u.release(p, true)).isFalse();
        assertThat(p.effectiveWeight).isEqualTo(8); // weight / max_fails = 2 taken off, climbs back one per pick
    }

    @Test
    void downPeerIsNeverChosen() {
        Peer a = peer(8001, 1, 1, 10_000, 0, true);
        Peer b = peer(8002, 1);
        Upstream u = new Upstream("u", new PeerSet(List.of(a, b), List.of()), new RoundRobin(), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(once(u, Attempt.plain())).isEqualTo(8002);
        }
    }

    @Test
    void backupOnlyWhenNoPrimaryIsUsable() {
        Peer a = peer(8001, 1);
        Peer bk = peer(8009, 1);
        Upstream u = new Upstream("u", new PeerSet(List.of(a), List.of(bk)), new RoundRobin(), clock);
        assertThat(once(u, Attempt.plain())).isEqualTo(8001);
        Attempt at = Attempt.plain();
        Peer p = u.select(at);
        u.release(p, true); // a fails once: max_fails=1 disables it
        assertThat(u.select(at)).isSameAs(bk); // the same request's retry goes to the backup
        assertThat(once(u, Attempt.plain())).isEqualTo(8009);
    }

    @Test
    void maxConnsLimitsConcurrentSelections() {
        Peer a = peer(8001, 1, 1, 10_000, 1, false);
        Peer b = peer(8002, 1, 1, 10_000, 1, false);
        Upstream u = new Upstream("u", new PeerSet(List.of(a, b), List.of()), new RoundRobin(), clock);
        Peer first = u.select(Attempt.plain());
        Peer second = u.select(Attempt.plain());
        assertThat(first).isNotSameAs(second);
        assertThat(u.select(Attempt.plain())).isNull(); // both at max_conns: no live upstreams
        u.release(first, false);
        assertThat(u.select(Attempt.plain())).isSameAs(first);
    }

    @Test
    void singleServerIgnoresFailures() {
        Peer a = peer(8001, 1);
        Upstream u = new Upstream("u", new PeerSet(List.of(a), List.of()), new RoundRobin(), clock);
        Peer p = u.select(Attempt.plain());
        u.release(p, true);
        assertThat(u.select(Attempt.plain())).isSameAs(a);
    }
}
