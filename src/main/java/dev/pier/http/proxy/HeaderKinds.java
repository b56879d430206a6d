package dev.pier.http.proxy;

import io.netty.util.AsciiString;

import java.util.Arrays;
import java.util.Locale;

/**
 * A fixed set of header names, each with what it is to a head passed on (a response's hidden or hop-by-hop lines, a
 * request's replaced ones), found case-insensitively by its length first: most names looked up have no entry of
 * their length, and the others one or two to compare. A header map used the same way hashes every name looked up,
 * byte by byte, before it compares.
 */
final class HeaderKinds {
    private record Entry(AsciiString name, String kind) {
    }

    private static final Entry[] NONE = new Entry[0];

    /** Entries by the length of their name. */
    private Entry[][] byLength = new Entry[0][];

    /** Sets the kind of {@code name} (any case), replacing the one it had. */
    void set(String name, String kind) {
        int len = name.length();
        if (len >= byLength.length) {
            int old = byLength.length;
            byLength = Arrays.copyOf(byLength, len + 1);
            Arrays.fill(byLength, old, len + 1, NONE);
        }
        Entry[] row = byLength[len];
        for (int i = 0; i < row.length; i++) {
            if (row[i].name().contentEqualsIgnoreCase(name)) {
                row[i] = new Entry(row[i].name(), kind);
                return;
            }
        }
        row = Arrays.copyOf(row, row.length + 1);
        row[row.length - 1] = new Entry(AsciiString.of(name.toLowerCase(Locale.ROOT)), kind);
        byLength[len] = row;
    }

    /** The kind of {@code name}, or null when it has none. */
    String get(CharSequence name) {
        int len = name.length();
        if (len >= byLength.length) {
            return null;
        }
        for (Entry e : byLength[len]) {
            if (e.name().contentEqualsIgnoreCase(name)) {
                return e.kind();
            }
        }
        return null;
    }
}
