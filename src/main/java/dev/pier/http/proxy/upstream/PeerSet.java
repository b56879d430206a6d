package dev.pier.http.proxy.upstream;

import java.util.List;

/**
 * The peers of one upstream ({@code ngx_http_upstream_rr_peers_t}): the primary list and, if any {@code server} line
 * says {@code backup}, the backup list tried when no primary peer is usable. Its monitor guards every peer's state.
 */
public final class PeerSet {
    private final List<Peer> primary;
    private final List<Peer> backup;
    private final int totalWeight;
    private final int backupWeight;

    public PeerSet(List<Peer> primary, List<Peer> backup) {
        if (primary.isEmpty()) {
            throw new IllegalArgumentException("no servers");
        }
        this.primary = List.copyOf(primary);
        this.backup = List.copyOf(backup);
        this.totalWeight = primary.stream().mapToInt(Peer::weight).sum();
        this.backupWeight = backup.stream().mapToInt(Peer::weight).sum();
    }

    public List<Peer> primary() {
        return primary;
    }

    public List<Peer> backup() {
        return backup;
    }

    /** Sum of the primary peers' weights (ip_hash and hash walk it). */
    public int totalWeight() {
        return totalWeight;
    }

    int backupWeight() {
        return backupWeight;
    }

    /** nginx's {@code ngx_http_upstream_tries}: at most one try per peer, primary and backup. */
    public int maxTries() {
        return primary.size() + backup.size();
    }
}
