package dev.pier.http.limits;

/**
 * A 64-bit hash of a key's text, which the zone tables store instead of the key itself (nginx stores the key
 * bytes): two keys of one zone share a state only if their 64-bit hashes collide. Never 0, which marks a free slot.
 */
final class KeyHash {
    private KeyHash() {
    }

    static long of(String key) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the UTF-16 units, then a final mix
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
