package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code charset_map FROM TO { XX YY; ... }} as nginx's {@code ngx_http_charset_map_block}: each line maps a byte of
 * FROM (two hex digits) to a byte of TO, or, when TO is {@code utf-8}, to the character's UTF-8 bytes as one hex word.
 */
final class CharsetMapParser {
    private CharsetMapParser() {
    }

    static void charsetMap(Directive d, Scope s) throws ConfigException {
        String from = d.args().get(0);
        String to = d.args().get(1);
        if (CharsetMap.utf8(from)) {
            throw Errors.at(d, "\"charset_map\" from utf-8 is not supported");
        }
        CharsetConfModule.Builder b = s.httpModule(CharsetConfModule.INSTANCE);
        if (b.maps == null) {
            b.maps = new ArrayList<>();
        }
        CharsetConf existing = new CharsetConf(java.util.Optional.empty(), java.util.Set.of(), false,
                java.util.Optional.empty(), false, b.maps);
        if (existing.map(from, to).isPresent()) {
            throw Errors.at(d, "duplicate \"charset_map\" between \"" + from + "\" and \"" + to + "\"");
        }
        boolean toUtf8 = CharsetMap.utf8(to);
        Map<Integer, Integer> codes = new HashMap<>();
        for (Directive line : d.children()) {
            if (line.isBlock() || line.args().size() != 1) {
                throw Errors.at(line, "invalid parameters number");
            }
            int src = hex(line, line.name(), 2);
            int dst = toUtf8 ? utf8(line, line.args().getFirst()) : hex(line, line.args().getFirst(), 2);
            codes.put(src, dst);
        }
        b.maps.add(new CharsetMap(from, to, toUtf8, codes));
    }

    /** A hex number of at most {@code digits} digits, nginx's {@code invalid value} otherwise. */
    private static int hex(Directive d, String v, int digits) throws ConfigException {
        if (v.isEmpty() || v.length() > digits) {
            throw Errors.at(d, "invalid value " + Errors.q(v));
        }
        try {
            return Integer.parseInt(v, 16);
        } catch (NumberFormatException e) {
            throw Errors.at(d, "invalid value " + Errors.q(v));
        }
    }

    /** The UTF-8 bytes of one character as a hex word ({@code D0B0}) → its code point. */
    private static int utf8(Directive d, String v) throws ConfigException {
        if (v.isEmpty() || v.length() % 2 != 0 || v.length() > 8) {
            throw Errors.at(d, "invalid value " + Errors.q(v));
        }
        byte[] bytes = new byte[v.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) hex(d, v.substring(2 * i, 2 * i + 2), 2);
        }
        String s = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (s.isEmpty() || s.codePointCount(0, s.length()) != 1 || s.codePointAt(0) == 0xFFFD) {
            throw Errors.at(d, "invalid value " + Errors.q(v));
        }
        return s.codePointAt(0);
    }
}
