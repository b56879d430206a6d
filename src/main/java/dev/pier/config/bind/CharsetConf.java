package dev.pier.config.bind;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code charset} and {@code charset_types} (ngx_http_charset_module without recoding): the charset named in the
 * {@code Content-Type} of responses whose type is listed.
 *
 * @param charset empty = {@code charset off}
 * @param types   MIME types, lower case, {@code text/html} always among them; ignored when {@code anyType}
 * @param anyType {@code charset_types *}
 */
public record CharsetConf(Optional<String> charset, Set<String> types, boolean anyType) {
    /** nginx's default {@code charset_types} (text/html is added to every list). */
    static final Set<String> DEFAULT_TYPES = Set.of("text/html", "text/xml", "text/plain", "text/vnd.wap.wml",
            "application/javascript", "application/rss+xml");

    public CharsetConf {
        Objects.requireNonNull(charset, "charset");
        types = Set.copyOf(types);
    }

    /** Whether a response of {@code type} (without parameters, any case) gets the charset. */
    public boolean applies(String type) {
        return anyType || types.contains(type.toLowerCase(java.util.Locale.ROOT));
    }

    static final CharsetConf DEFAULTS = new CharsetConf(Optional.empty(), DEFAULT_TYPES, false);
}
