package dev.pier.config.bind;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code charset_map FROM TO { ... }} block: byte {@code XX} of {@code from} is code {@code YY} of {@code to}.
 * When {@code to} is UTF-8 the value is the character's code point (written in the block as its UTF-8 bytes,
 * {@code E2 80 9A} … as one hex word, nginx's format), otherwise a byte of {@code to}. nginx uses the map both ways.
 *
 * @param codes byte of {@code from} (0-255) → byte or code point of {@code to}
 */
public record CharsetMap(String from, String to, boolean toUtf8, Map<Integer, Integer> codes) {
    public CharsetMap {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        codes = Map.copyOf(codes);
    }

    /** nginx recognises UTF-8 by name, in any case. */
    public static boolean utf8(String name) {
        return name.equalsIgnoreCase("utf-8");
    }
}
