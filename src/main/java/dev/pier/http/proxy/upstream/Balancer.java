package dev.pier.http.proxy.upstream;

/**
 * A balancing method: picks the next peer for an {@link Attempt}, or {@code null} when no peer is usable (nginx's
 * {@code NGX_BUSY}, "no live upstreams"). Called with the {@link PeerSet}'s lock held; the chosen peer is marked
 * tried by the caller.
 */
public sealed interface Balancer
        permits RoundRobin, LeastConn, IpHash, KeyHash, ConsistentHash, RandomBalancer {

    /** The chosen peer, with {@link Attempt#mark} already called, or null. */
    Peer pick(PeerSet peers, Attempt attempt, long now);

    /** How many consecutive picks a hash-like method makes before falling back to round-robin (nginx: 20). */
    int METHOD_TRIES = 20;
}
