package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;

/**
 * A message head that keeps its header lines as they were read, in order, and builds a header map only when
 * something asks for one ({@link ScannedRequest}; the proxy's backend heads). Code that only walks the lines (a head
 * passed on to the client or upstream) reads them here and spares the map: the client's and the backend's maps
 * were a quarter of what a proxied request allocated.
 */
public interface HeadLines {
    /**
     * Each line's name and value in turn, the array holding exactly the lines (the head's own: read, never changed);
     * null once the header map was built, as from then on the map is the head (and may have been changed).
     */
    CharSequence[] lines();

    /**
     * Where a head written from {@link #lines()} is kept for the next response made from the same lines (a parsed
     * backend head's, shared by the responses its repeats give), or null: only while the lines are the head's.
     */
    default StreamHeadMemo memo() {
        return null;
    }

    /** {@code m}'s lines as {@link #lines()} gives them: its own while it keeps them, else copied from its map. */
    static CharSequence[] of(HttpMessage m) {
        CharSequence[] l = m instanceof HeadLines h ? h.lines() : null;
        return l != null ? l : copy(m.headers());
    }

    /**
     * The first value of header {@code name} (lower case) in {@code m}: read from its lines while it keeps them, so a
     * log line or a variable builds no map; else from its map.
     */
    static String first(HttpMessage m, String name) {
        CharSequence[] l = m instanceof HeadLines h ? h.lines() : null;
        return l != null ? CoreVariables.first(l, name) : m.headers().get(name);
    }

    /** Every value of header {@code name} (lower case) in {@code m} joined by {@code separator}, as {@link #first}. */
    static String joined(HttpMessage m, String name, String separator) {
        CharSequence[] l = m instanceof HeadLines h ? h.lines() : null;
        return l != null ? CoreVariables.joined(l, name, separator)
                : CoreVariables.joined(m.headers(), name, separator);
    }

    /**
     * The header map of {@code lines} (name, value pairs), in their order. They were checked when the head was read,
     * so the map does not validate them again.
     */
    static HttpHeaders map(CharSequence[] lines) {
        HttpHeaders h = HeaderMaps.newMap();
        for (int i = 0; i < lines.length; i += 2) {
            h.add(lines[i], lines[i + 1]);
        }
        return h;
    }

    /** The lines of {@code h} in its order, as name, value pairs. */
    static CharSequence[] copy(HttpHeaders h) {
        CharSequence[] l = new CharSequence[h.size() * 2];
        int i = 0;
        for (var it = h.iteratorCharSequence(); it.hasNext(); ) {
            var e = it.next();
            l[i++] = e.getKey();
            l[i++] = e.getValue();
        }
        return l;
    }
}
