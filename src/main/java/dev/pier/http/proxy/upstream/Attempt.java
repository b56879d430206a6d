package dev.pier.http.proxy.upstream;

import java.util.BitSet;

/**
 * One request's walk over the peers ({@code ngx_http_upstream_rr_peer_data_t} plus the hash methods' state): which
 * peers were tried, the client address for {@code ip_hash}, the key for {@code hash}, and the state those methods
 * carry from one try to the next. Confined to the request's event loop.
 */
public final class Attempt {
    final BitSet triedPrimary = new BitSet();
    final BitSet triedBackup = new BitSet();
    final byte[] clientAddress;
    final byte[] key;
    /** ip_hash / hash: the running hash; consistent hash: the ring index. */
    long hash;
    /** hash: how many times the key was rehashed (nginx's rehash). */
    int rehash;
    /** ip_hash / hash / random: tries of this method before it falls back to round-robin (20, as nginx). */
    int methodTries;
    boolean hashInitialised;
    Peer current;
    boolean currentIsBackup;
    int currentIndex;

    /**
     * @param clientAddress the client's address bytes (4 or 16), for {@code ip_hash}; may be empty
     * @param key           the evaluated {@code hash} key, may be empty
     */
    public Attempt(byte[] clientAddress, byte[] key) {
        this.clientAddress = clientAddress == null ? new byte[0] : clientAddress.clone();
        this.key = key == null ? new byte[0] : key.clone();
    }

    public static Attempt plain() {
        return new Attempt(null, null);
    }

    /** The peer of the latest successful {@link Upstream#select}, or null. */
    public Peer current() {
        return current;
    }

    void mark(Peer p, boolean backup, int index) {
        current = p;
        currentIsBackup = backup;
        currentIndex = index;
        (backup ? triedBackup : triedPrimary).set(index);
    }

    boolean tried(boolean backup, int index) {
        return (backup ? triedBackup : triedPrimary).get(index);
    }
}
