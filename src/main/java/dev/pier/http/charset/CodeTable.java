package dev.pier.http.charset;

import dev.pier.config.bind.CharsetConf;
import dev.pier.config.bind.CharsetMap;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A single-byte charset as a table: byte → code point (-1 where the byte means nothing), from the JDK's charset of
 * that name, then the {@code charset_map} between it and UTF-8 on top (nginx's koi-utf, win-utf files), or from the
 * map alone for a charset the JDK does not know.
 */
record CodeTable(String name, int[] codePoints) {

    /** The table of {@code name}, or empty when it is not a single-byte charset Pier can describe. */
    static Optional<CodeTable> of(String name, CharsetConf conf) {
        Optional<Charset> java = javaCharset(name);
        Optional<CharsetMap> toUtf8 = conf.maps().stream()
                .filter(m -> m.toUtf8() && m.from().equalsIgnoreCase(name)).findFirst();
        if (java.isPresent() && !singleByte(java.get()) || java.isEmpty() && toUtf8.isEmpty()) {
            return Optional.empty();
        }
        int[] cps = new int[256];
        for (int b = 0; b < 256; b++) {
            cps[b] = java.isPresent() ? decode(java.get(), b) : b < 0x80 ? b : -1;
        }
        toUtf8.ifPresent(m -> m.codes().forEach((b, cp) -> cps[b] = cp));
        return Optional.of(new CodeTable(name, cps));
    }

    /** code point → byte, the first byte that means it winning. */
    Map<Integer, Integer> reverse() {
        Map<Integer, Integer> r = new HashMap<>();
        for (int b = 255; b >= 0; b--) {
            if (codePoints[b] >= 0) {
                r.put(codePoints[b], b);
            }
        }
        return r;
    }

    static Optional<Charset> javaCharset(String name) {
        try {
            return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean singleByte(Charset cs) {
        return cs.canEncode() && cs.newEncoder().maxBytesPerChar() == 1.0f
                && cs.newDecoder().maxCharsPerByte() == 1.0f;
    }

    private static int decode(Charset cs, int b) {
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer c = d.decode(ByteBuffer.wrap(new byte[]{(byte) b}));
            return c.length() == 1 ? c.charAt(0) : -1;
        } catch (CharacterCodingException e) {
            return -1;
        }
    }
}
