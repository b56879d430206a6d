package dev.pier.config.bind;

/**
 * ngx_http_autoindex_module's settings: {@code autoindex}, {@code autoindex_exact_size},
 * {@code autoindex_localtime}; {@code autoindex_format} accepts {@code html} only (the one format Pier writes).
 *
 * @param autoindex a directory URI without an index file gets a listing instead of 403
 * @param exactSize sizes in bytes; off = nginx's rounded K/M/G
 * @param localtime dates in the server's time zone instead of UTC
 */
public record AutoindexConf(boolean autoindex, boolean exactSize, boolean localtime) {
    static final AutoindexConf DEFAULTS = new AutoindexConf(false, true, false);
}
