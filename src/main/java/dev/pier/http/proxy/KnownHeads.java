package dev.pier.http.proxy;

import java.util.Arrays;

/**
 * The response heads read whole most recently on one event loop, by their bytes, and what each gave. The backend
 * connections of one upstream send the same head, which changes for all of them at once when the backend's
 * {@code Date} does: the first connection to bring the new head reads it, the others find it here. Without it every
 * backend connection read every second's head anew, which kept the JIT compiling that rarely run code again and
 * again during a load. Least recently found first out. Not thread-safe: one per event loop.
 *
 * @param <T> what a head gave
 */
final class KnownHeads<T> {
    private final byte[][] bytes;
    private final int[] lengths;
    private final Object[] values;
    private int count;

    /** @param capacity how many heads are kept; {@code maxLength} the longest one */
    KnownHeads(int capacity, int maxLength) {
        bytes = new byte[capacity][maxLength];
        lengths = new int[capacity];
        values = new Object[capacity];
    }

    /**
     * What the kept head that {@code b[0, n)} begins with gave, or null: the most recently kept or found one first.
     * A found head becomes the most recent.
     */
    @SuppressWarnings("unchecked")
    T find(byte[] b, int n) {
        for (int i = 0; i < count; i++) {
            int len = lengths[i];
            if (n >= len && Arrays.equals(b, 0, len, bytes[i], 0, len)) {
                T found = (T) values[i];
                if (i > 0) {
                    toFront(i);
                }
                return found;
            }
        }
        return null;
    }

    /** Keeps {@code b[0, length)} (at most the longest this keeps: a longer head is not kept) as giving {@code value}. */
    void add(byte[] b, int length, T value) {
        if (length > bytes[0].length) {
            return;
        }
        int slot = count < values.length ? count++ : values.length - 1; // the least recent makes room
        System.arraycopy(b, 0, bytes[slot], 0, length);
        lengths[slot] = length;
        values[slot] = value;
        toFront(slot);
    }

    /** Moves entry {@code i} to the front, the ones before it one place back (their arrays are reused, not copied). */
    private void toFront(int i) {
        byte[] kb = bytes[i];
        int kl = lengths[i];
        Object kv = values[i];
        System.arraycopy(bytes, 0, bytes, 1, i);
        System.arraycopy(lengths, 0, lengths, 1, i);
        System.arraycopy(values, 0, values, 1, i);
        bytes[0] = kb;
        lengths[0] = kl;
        values[0] = kv;
    }

    /** Heads kept (tests). */
    int size() {
        return count;
    }
}
