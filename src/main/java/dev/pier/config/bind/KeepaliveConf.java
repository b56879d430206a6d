package dev.pier.config.bind;

/**
 * The second argument of {@code keepalive_timeout} (ngx_http_core_module's {@code keepalive_header}), merged on its
 * own as nginx does: a level that gives only the timeout still inherits its parent's header value.
 *
 * @param headerSeconds the {@code Keep-Alive: timeout=N} value sent with kept-alive responses; 0 = no header
 */
public record KeepaliveConf(long headerSeconds) {
    public KeepaliveConf {
        if (headerSeconds < 0) {
            throw new IllegalArgumentException("negative keepalive header timeout");
        }
    }

    static final KeepaliveConf DEFAULTS = new KeepaliveConf(0);
}
