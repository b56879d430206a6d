package dev.pier.http;

import io.netty.util.AsciiString;

/**
 * {@code Content-Length} values as {@link AsciiString}s, the small ones made once: the response encoder copies an
 * {@code AsciiString}'s bytes in one go, while a {@code String} from {@code Long.toString} is formatted and then
 * encoded a character at a time for every response.
 */
final class ContentLengths {
    private static final int CACHED = 8192;
    /** Filled as lengths are seen; a race makes the same value twice, which is harmless (AsciiString is immutable). */
    private static final AsciiString[] SMALL = new AsciiString[CACHED];

    private ContentLengths() {
    }

    static AsciiString of(long length) {
        if (length >= 0 && length < CACHED) {
            AsciiString s = SMALL[(int) length];
            if (s == null) {
                s = digits(length);
                SMALL[(int) length] = s;
            }
            return s;
        }
        return digits(length);
    }

    private static AsciiString digits(long length) {
        byte[] b = new byte[20];
        int i = b.length;
        long v = length;
        do {
            b[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        return new AsciiString(b, i, b.length - i, false);
    }
}
