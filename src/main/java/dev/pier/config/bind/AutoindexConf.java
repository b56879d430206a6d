package dev.pier.config.bind;

import java.util.Objects;

/**
 * ngx_http_autoindex_module's settings: {@code autoindex}, {@code autoindex_exact_size},
 * {@code autoindex_localtime}, {@code autoindex_format}.
 *
 * @param autoindex a directory URI without an index file gets a listing instead of 403
 * @param exactSize sizes in bytes; off = nginx's rounded K/M/G (html only)
 * @param localtime dates in the server's time zone instead of UTC (html only)
 * @param format    {@code autoindex_format html | xml | json | jsonp} (html)
 */
public record AutoindexConf(boolean autoindex, boolean exactSize, boolean localtime, Format format) {
    /** nginx's four listing formats. */
    public enum Format {
        HTML, XML, JSON, JSONP
    }

    public AutoindexConf {
        Objects.requireNonNull(format, "format");
    }

    /** An html listing. */
    public AutoindexConf(boolean autoindex, boolean exactSize, boolean localtime) {
        this(autoindex, exactSize, localtime, Format.HTML);
    }

    static final AutoindexConf DEFAULTS = new AutoindexConf(false, true, false);
}
