package dev.pier.config.bind;

/**
 * ngx_http_core_module's URI and redirect switches.
 *
 * @param mergeSlashes     {@code merge_slashes} (http, server): runs of '/' in the URI become one; read from the
 *                         default server of the address, as nginx parses the request line before picking the
 *                         server by Host
 * @param absoluteRedirect {@code absolute_redirect}: a redirect Pier makes ({@code return}, a directory's 301, an
 *                         {@code error_page} URL) carries {@code scheme://host[:port]}; off = the path alone
 * @param portInRedirect   {@code port_in_redirect}: the listening port in such URLs (never the scheme's default)
 * @param serverNameInRedirect {@code server_name_in_redirect}: the host in such URLs is the server's first
 *                         {@code server_name} instead of the request's {@code Host}
 */
public record UriConf(boolean mergeSlashes, boolean absoluteRedirect, boolean portInRedirect,
                      boolean serverNameInRedirect) {
    static final UriConf DEFAULTS = new UriConf(true, true, true, false);

    /** Without {@code server_name_in_redirect} (off, nginx's default). */
    public UriConf(boolean mergeSlashes, boolean absoluteRedirect, boolean portInRedirect) {
        this(mergeSlashes, absoluteRedirect, portInRedirect, false);
    }
}
