package dev.pier.http.charset;

import dev.pier.config.bind.CharsetConf;
import dev.pier.config.bind.CharsetMap;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to recode a body from one charset to another, worked out once per pair: between two single-byte charsets a
 * byte table (the length stays, as nginx's 8-bit tables); otherwise through characters ({@link StreamRecoder}), when
 * the JDK or a {@code charset_map} describes both sides. nginx recodes only what a {@code charset_map} describes;
 * Pier also uses the JDK's charsets, a {@code charset_map} of the pair taking precedence.
 *
 * @param sameLength whether the recoded body has the length of the original (Content-Length may stay)
 */
record Recoding(String source, String dest, boolean sameLength, Supplier<Recoder> recoders) {

    /** Empty when neither the JDK nor a {@code charset_map} knows how (nginx's {@code no "charset_map"} case). */
    static Optional<Recoding> of(String source, String dest, CharsetConf conf) {
        Optional<CodeTable> from = CodeTable.of(source, conf);
        Optional<CodeTable> to = CodeTable.of(dest, conf);
        Optional<CharsetMap> direct = conf.map(source, dest).filter(m -> !m.toUtf8());
        if (!CharsetMap.utf8(source) && !CharsetMap.utf8(dest) && (direct.isPresent()
                || from.isPresent() && to.isPresent())) {
            byte[] table = bytes(from, to, direct, source);
            return Optional.of(new Recoding(source, dest, true, () -> new Recoder.Bytes(table)));
        }
        Optional<Charset> jfrom = CodeTable.javaCharset(source);
        Optional<Charset> jto = CodeTable.javaCharset(dest);
        if (from.isEmpty() && jfrom.isEmpty() || to.isEmpty() && jto.isEmpty()) {
            return Optional.empty();
        }
        int[] sourceTable = from.map(CodeTable::codePoints).orElse(null);
        Map<Integer, Integer> destTable = to.map(CodeTable::reverse).orElse(null);
        Charset js = jfrom.orElse(null);
        Charset jd = jto.orElse(null);
        return Optional.of(new Recoding(source, dest, false,
                () -> new StreamRecoder(js, sourceTable, jd, destTable)));
    }

    /** byte of {@code source} → byte of the other side: identity, then the JDK's meaning, then the map's pairs. */
    private static byte[] bytes(Optional<CodeTable> from, Optional<CodeTable> to, Optional<CharsetMap> direct,
                                String source) {
        byte[] t = new byte[256];
        for (int b = 0; b < 256; b++) {
            t[b] = (byte) b; // nginx: a byte the map does not name passes unchanged
        }
        if (from.isPresent() && to.isPresent()) {
            Map<Integer, Integer> back = to.get().reverse();
            int[] cps = from.get().codePoints();
            for (int b = 0; b < 256; b++) {
                Integer d = cps[b] < 0 ? null : back.get(cps[b]);
                if (d != null) {
                    t[b] = (byte) (int) d;
                }
            }
        }
        direct.ifPresent(m -> m.codes().forEach((a, b) -> {
            if (m.from().equalsIgnoreCase(source)) {
                t[a] = (byte) (int) b;
            } else {
                t[b] = (byte) (int) a; // the map read backwards, as nginx's dst2src table
            }
        }));
        return t;
    }
}
