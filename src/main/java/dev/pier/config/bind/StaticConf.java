package dev.pier.config.bind;

import java.util.Objects;
import java.util.Optional;

/**
 * Conditional and cache settings of static responses: {@code etag}, {@code if_modified_since}
 * (ngx_http_core_module), {@code expires} (ngx_http_headers_module) and {@code max_ranges} (ngx_http_core_module).
 *
 * @param expires   empty = {@code off}; else what {@code Expires}/{@code Cache-Control} say
 * @param maxRanges {@code max_ranges}: a Range with more ranges is answered with the whole file (200), 0 turns
 *                  byte ranges off (no {@code Accept-Ranges} either); unlimited by default
 */
public record StaticConf(boolean etag, IfModifiedSince ifModifiedSince, Optional<Expires> expires, int maxRanges) {
    /** nginx's default: {@code NGX_MAX_INT32_VALUE}, i.e. no limit. */
    public static final int UNLIMITED_RANGES = Integer.MAX_VALUE;

    public enum IfModifiedSince {
        OFF, EXACT, BEFORE
    }

    /**
     * {@code expires [modified] TIME | epoch | max}: {@code seconds} from now (or from the file's mtime when
     * {@code modified}); {@code epoch} is {@code Expires: Thu, 01 Jan 1970 00:00:01 GMT, no-cache}; {@code max} ten
     * years.
     */
    public record Expires(Kind kind, long seconds, boolean modified) {
        public enum Kind {
            EPOCH, MAX, TIME
        }

        public Expires {
            Objects.requireNonNull(kind, "kind");
        }
    }

    public StaticConf {
        Objects.requireNonNull(ifModifiedSince, "ifModifiedSince");
        Objects.requireNonNull(expires, "expires");
        if (maxRanges < 0) {
            throw new IllegalArgumentException("max_ranges " + maxRanges);
        }
    }

    /** Without {@code max_ranges} (unlimited). */
    public StaticConf(boolean etag, IfModifiedSince ifModifiedSince, Optional<Expires> expires) {
        this(etag, ifModifiedSince, expires, UNLIMITED_RANGES);
    }

    static final StaticConf DEFAULTS = new StaticConf(true, IfModifiedSince.EXACT, Optional.empty());
}
