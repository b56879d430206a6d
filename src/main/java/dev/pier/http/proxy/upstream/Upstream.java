package dev.pier.http.proxy.upstream;

import dev.pier.http.EventClock;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One {@code upstream} block at run time in one worker: its peers, their balancing method and passive health
 * accounting (nginx's {@code get_peer}/{@code free_peer} pair). Shared by the worker's event loops; selection and
 * release hold the peer set's lock for a few field updates only.
 */
public final class Upstream {
    private final String name;
    private final PeerSet peers;
    private final Balancer balancer;
    private final LongSupplier clock;
    private final boolean single;

    /** @param clock milliseconds on a monotonic clock */
    public Upstream(String name, PeerSet peers, Balancer balancer, LongSupplier clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.single = peers.primary().size() == 1 && peers.backup().isEmpty();
    }

    public static LongSupplier monotonicMillis() {
        return EventClock::millis;
    }

    public String name() {
        return name;
    }

    public PeerSet peers() {
        return peers;
    }

    public Balancer balancer() {
        return balancer;
    }

    /**
     * The next peer for this attempt, counted as one more connection, or {@code null} when none is usable
     * ("no live upstreams"). A lone server is used whatever its failure count, as nginx does ({@code peers->single}).
     */
    public Peer select(Attempt a) {
        long now = clock.getAsLong();
        synchronized (peers) {
            Peer p;
            if (single) {
                p = peers.primary().getFirst();
                if (a.tried(false, 0) || p.down() || (p.maxConns() > 0 && p.conns >= p.maxConns())) {
                    return null;
                }
                a.mark(p, false, 0);
            } else {
                p = balancer.pick(peers, a, now);
                if (p == null) {
                    return null;
                }
            }
            p.chosen(now);
            return p;
        }
    }

    /**
     * The request is done with {@code p}: {@code failed} counts toward {@code max_fails} (and lowers its effective
     * weight by {@code weight / max_fails}); a success after a new {@code fail_timeout} window began clears the
     * failures. Returns true when this failure just disabled the peer (nginx logs "upstream server temporarily
     * disabled" at [warn]).
     */
    public boolean release(Peer p, boolean failed) {
        long now = clock.getAsLong();
        synchronized (peers) {
            p.conns--;
            if (single) {
                p.fails = 0;
                return false;
            }
            if (!failed) {
                if (p.accessed < p.checked) {
                    p.fails = 0;
                }
                return false;
            }
            p.fails++;
            p.accessed = now;
            p.checked = now;
            boolean disabled = false;
            if (p.maxFails() > 0) {
                p.effectiveWeight -= p.weight() / p.maxFails();
                disabled = p.fails >= p.maxFails();
            }
            if (p.effectiveWeight < 0) {
                p.effectiveWeight = 0;
            }
            return disabled;
        }
    }

    /** Active connections to {@code p} (for tests and status). */
    public int conns(Peer p) {
        synchronized (peers) {
            return p.conns;
        }
    }
}
