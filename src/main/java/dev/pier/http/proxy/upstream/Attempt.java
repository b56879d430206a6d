package dev.pier.http.proxy.upstream;

import java.util.BitSet;

/**
 * One request's walk over the peers ({@code ngx_http_upstream_rr_peer_data_t} plus the hash methods' state): which
 * peers were tried, the client address for {@code ip_hash}, the key for {@code hash}, and the state those methods
 * carry from one try to the next. Confined to the request's event loop.
 */
public final class Attempt {
    private static final byte[] NONE = new byte[0];

    /** Tried peers by index, the first 64 of each list in a word (an upstream rarely has more), the rest in a set
     *  made when one of them is tried: a request's walk allocates nothing for them. */
    private long triedPrimary;
    private long triedBackup;
    private BitSet triedPrimaryRest;
    private BitSet triedBackupRest;
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
     * @param clientAddress the client's address bytes (4 or 16), for {@code ip_hash}; may be null; taken, not copied
     * @param key           the evaluated {@code hash} key, may be null; taken, not copied
     */
    public Attempt(byte[] clientAddress, byte[] key) {
        this.clientAddress = clientAddress == null ? NONE : clientAddress;
        this.key = key == null ? NONE : key;
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
        if (index < Long.SIZE) {
            if (backup) {
                triedBackup |= 1L << index;
            } else {
                triedPrimary |= 1L << index;
            }
        } else if (backup) {
            (triedBackupRest == null ? triedBackupRest = new BitSet() : triedBackupRest).set(index);
        } else {
            (triedPrimaryRest == null ? triedPrimaryRest = new BitSet() : triedPrimaryRest).set(index);
        }
    }

    boolean tried(boolean backup, int index) {
        if (index < Long.SIZE) {
            return ((backup ? triedBackup : triedPrimary) & 1L << index) != 0;
        }
        BitSet rest = backup ? triedBackupRest : triedPrimaryRest;
        return rest != null && rest.get(index);
    }
}
