package dev.pier.config.bind;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ngx_http_limit_conn_module, merged: the zones of the http block and the limits of this level (a level without
 * {@code limit_conn} inherits its parent's, as nginx does).
 *
 * @param zones    every {@code limit_conn_zone} of the http block by name
 * @param limits   {@code limit_conn ZONE N}, in order
 * @param status   {@code limit_conn_status} (503)
 * @param logLevel {@code limit_conn_log_level} (error)
 * @param dryRun   {@code limit_conn_dry_run} (off): count and log, never reject
 */
public record LimitConnConf(Map<String, LimitZone> zones, List<Limit> limits, int status, LogLevel logLevel,
                            boolean dryRun) {

    /** One {@code limit_conn}: at most {@code conn} requests in flight per key of {@code zone}. */
    public record Limit(LimitZone zone, int conn) {
        public Limit {
            Objects.requireNonNull(zone, "zone");
            if (conn < 1 || conn > 65535) {
                throw new IllegalArgumentException("conn " + conn);
            }
        }
    }

    public LimitConnConf {
        zones = Map.copyOf(zones);
        limits = List.copyOf(limits);
        Objects.requireNonNull(logLevel, "logLevel");
    }

    public static final LimitConnConf DEFAULTS = new LimitConnConf(Map.of(), List.of(), 503, LogLevel.ERROR, false);
}
