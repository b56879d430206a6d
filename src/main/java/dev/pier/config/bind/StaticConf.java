package dev.pier.config.bind;

import java.util.Objects;
import java.util.Optional;

/**
 * Conditional and cache settings of static responses: {@code etag}, {@code if_modified_since}
 * (ngx_http_core_module) and {@code expires} (ngx_http_headers_module).
 *
 * @param expires empty = {@code off}; else what {@code Expires}/{@code Cache-Control} say
 */
public record StaticConf(boolean etag, IfModifiedSince ifModifiedSince, Optional<Expires> expires) {
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
    }

    static final StaticConf DEFAULTS = new StaticConf(true, IfModifiedSince.EXACT, Optional.empty());
}
