package dev.pier.config.bind;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ngx_http_gzip_module and ngx_http_gzip_static_module settings, with the gzip settings nginx keeps in its core
 * module ({@code gzip_vary}, {@code gzip_http_version}, {@code gzip_proxied}, {@code gzip_disable}) because both
 * modules read them.
 *
 * @param gzip       {@code gzip on|off}
 * @param types      {@code gzip_types}, lowercased, {@code text/html} always among them
 * @param anyType    {@code gzip_types *}
 * @param minLength  {@code gzip_min_length}: compared with a known Content-Length only
 * @param compLevel  {@code gzip_comp_level} 1..9
 * @param vary       {@code gzip_vary}: {@code Vary: Accept-Encoding} on responses gzip may apply to
 * @param proxied    {@code gzip_proxied} for requests that carry {@code Via}
 * @param http10     {@code gzip_http_version 1.0} (default 1.1: HTTP/1.0 requests are not compressed)
 * @param disable    {@code gzip_disable}: case-insensitive patterns searched in {@code User-Agent}
 * @param gzipStatic {@code gzip_static}
 */
public record GzipConf(boolean gzip, Set<String> types, boolean anyType, long minLength, int compLevel,
                       boolean vary, Set<Proxied> proxied, boolean http10, List<Pattern> disable,
                       Static gzipStatic) {
    /** {@code gzip_proxied} values; {@link #OFF} alone is the default. */
    public enum Proxied {
        OFF, EXPIRED, NO_CACHE, NO_STORE, PRIVATE, NO_LAST_MODIFIED, NO_ETAG, AUTH, ANY;

        /** The word as written in the configuration ({@code no-cache}, {@code no_last_modified}). */
        public String word() {
            String w = name().toLowerCase(Locale.ROOT);
            return this == NO_CACHE || this == NO_STORE ? w.replace('_', '-') : w;
        }
    }

    /** {@code gzip_static off|on|always}. */
    public enum Static {
        OFF, ON, ALWAYS
    }

    /** The type nginx always compresses ({@code ngx_http_html_default_types}). */
    public static final String TEXT_HTML = "text/html";

    public GzipConf {
        types = Set.copyOf(types);
        if (!types.contains(TEXT_HTML)) {
            throw new IllegalArgumentException("gzip_types without text/html");
        }
        if (compLevel < 1 || compLevel > 9) {
            throw new IllegalArgumentException("gzip_comp_level out of 1..9");
        }
        if (minLength < 0) {
            throw new IllegalArgumentException("negative gzip_min_length");
        }
        proxied = proxied.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(proxied));
        disable = List.copyOf(disable);
        Objects.requireNonNull(gzipStatic, "gzipStatic");
    }

    /** nginx's defaults: off, text/html, 20 bytes, level 1, no Vary, {@code gzip_proxied off}, HTTP/1.1. */
    public static final GzipConf DEFAULTS = new GzipConf(false, Set.of(TEXT_HTML), false, 20, 1, false,
            Set.of(Proxied.OFF), false, List.of(), Static.OFF);

    /** Whether {@code mime} (lowercase, without parameters) is one of {@code gzip_types}. */
    public boolean typeMatches(String mime) {
        return anyType || types.contains(mime);
    }
}
