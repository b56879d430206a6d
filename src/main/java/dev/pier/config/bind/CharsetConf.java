package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * ngx_http_charset_module's settings of one level: the charset named in the {@code Content-Type} of responses whose
 * type is listed, and the recoding of their bodies from {@code source_charset} (or the charset a proxied response
 * names, with {@code override_charset on}).
 *
 * @param charset         empty = {@code charset off}
 * @param types           MIME types, lower case, {@code text/html} always among them; ignored when {@code anyType}
 * @param anyType         {@code charset_types *}
 * @param sourceCharset   {@code source_charset}; empty = off (nothing is recoded)
 * @param overrideCharset {@code override_charset}: recode responses that already name a charset too
 * @param maps            every {@code charset_map} of the http block (the same list at every level)
 */
public record CharsetConf(Optional<String> charset, Set<String> types, boolean anyType, Optional<String> sourceCharset,
                          boolean overrideCharset, List<CharsetMap> maps) {
    /** nginx's default {@code charset_types} (text/html is added to every list). */
    static final Set<String> DEFAULT_TYPES = Set.of("text/html", "text/xml", "text/plain", "text/vnd.wap.wml",
            "application/javascript", "application/rss+xml");

    public CharsetConf {
        Objects.requireNonNull(charset, "charset");
        types = Set.copyOf(types);
        Objects.requireNonNull(sourceCharset, "sourceCharset");
        maps = List.copyOf(maps);
    }

    /** Without recoding (fixtures, the shape before {@code source_charset}). */
    public CharsetConf(Optional<String> charset, Set<String> types, boolean anyType) {
        this(charset, types, anyType, Optional.empty(), false, List.of());
    }

    /** Whether a response of {@code type} (without parameters, any case) gets the charset. */
    public boolean applies(String type) {
        return anyType || types.contains(type.toLowerCase(java.util.Locale.ROOT));
    }

    /** The {@code charset_map} between {@code a} and {@code b} in either direction (names case-insensitive). */
    public Optional<CharsetMap> map(String a, String b) {
        for (CharsetMap m : maps) {
            if (m.from().equalsIgnoreCase(a) && m.to().equalsIgnoreCase(b)
                    || m.from().equalsIgnoreCase(b) && m.to().equalsIgnoreCase(a)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    static final CharsetConf DEFAULTS = new CharsetConf(Optional.empty(), DEFAULT_TYPES, false);
}
