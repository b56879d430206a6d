package dev.pier.http.gzip;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.zip.Deflater;

/**
 * A thread's spare deflaters, one per level: a response's compressor is a spare reset for it, not a new one. A
 * {@link Deflater} allocates about 270 KB of zlib state and registers a cleaner when made; reset, it starts a new
 * stream as a fresh one would (the same output), after clearing its hash table. Each event loop compresses one
 * response at a time per connection, so one spare per level covers the common case; a second stream at the same
 * level on the thread gets a new deflater, and the one given back while a spare is held is freed.
 */
final class Deflaters {
    private static final FastThreadLocal<Deflater[]> SPARES = new FastThreadLocal<>() {
        @Override
        protected Deflater[] initialValue() {
            return new Deflater[Deflater.BEST_COMPRESSION + 1];
        }
    };

    private Deflaters() {
    }

    /** A deflater for raw deflate data (gzip wraps it) at {@code level}, 1 to 9. */
    static Deflater take(int level) {
        Deflater[] spares = SPARES.get();
        Deflater d = spares[level];
        if (d != null) {
            spares[level] = null;
            return d;
        }
        return new Deflater(level, true);
    }

    /** Ends {@code d}'s use ({@link #take}n at {@code level}): reset and kept as the thread's spare, or freed. */
    static void give(Deflater d, int level) {
        Deflater[] spares = SPARES.get();
        if (spares[level] == null) {
            d.reset();
            spares[level] = d;
        } else {
            d.end();
        }
    }
}
