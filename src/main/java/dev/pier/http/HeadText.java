package dev.pier.http;

import io.netty.util.AsciiString;

import java.util.Arrays;

/**
 * Whether bytes of a head are the text a connection kept from its last head: the request scanner and the proxy's
 * response parser reuse a kept name or value when the same place of the next head has the same bytes; and whether
 * they are a known word without regard to case. Text is ISO-8859-1, one char per byte.
 */
public final class HeadText {
    private HeadText() {
    }

    /** {@code b[from, from + len)} is {@code kept}, which may be null. */
    public static boolean same(String kept, byte[] b, int from, int len) {
        if (kept == null || kept.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (kept.charAt(i) != (b[from + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** {@code b[from, from + len)} is {@code kept}, which may be null. */
    public static boolean same(AsciiString kept, byte[] b, int from, int len) {
        return kept != null && kept.length() == len
                && Arrays.equals(kept.array(), kept.arrayOffset(), kept.arrayOffset() + len, b, from, from + len);
    }

    /** {@code b[from, to)} is {@code lower}, a lower-case ASCII word, without regard to case. */
    public static boolean lowerIs(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
