package dev.pier.config.bind;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ngx_http_limit_req_module, merged: the zones of the http block and the limits of this level (a level without
 * {@code limit_req} inherits its parent's, as nginx does).
 *
 * @param zones    every {@code limit_req_zone} of the http block by name
 * @param limits   {@code limit_req zone=NAME [burst=N] [nodelay | delay=N]}, in order
 * @param status   {@code limit_req_status} (503)
 * @param logLevel {@code limit_req_log_level} (error); delays are logged one level lower, as nginx does
 * @param dryRun   {@code limit_req_dry_run} (off): account and log, never reject or delay
 */
public record LimitReqConf(Map<String, LimitZone> zones, List<Limit> limits, int status, LogLevel logLevel,
                           boolean dryRun) {

    /**
     * One {@code limit_req}, in nginx's units: {@code burst} and {@code delay} in thousandths of a request
     * ({@code burst=5} is 5000); {@code nodelay} is the largest delay.
     */
    public record Limit(LimitZone zone, long burst, long delay) {
        /** {@code nodelay}: every request within the burst goes at once. */
        public static final long NODELAY = Long.MAX_VALUE / 1000;

        public Limit {
            Objects.requireNonNull(zone, "zone");
            if (burst < 0 || delay < 0) {
                throw new IllegalArgumentException("burst " + burst + " delay " + delay);
            }
        }
    }

    public LimitReqConf {
        zones = Map.copyOf(zones);
        limits = List.copyOf(limits);
        Objects.requireNonNull(logLevel, "logLevel");
    }

    public static final LimitReqConf DEFAULTS = new LimitReqConf(Map.of(), List.of(), 503, LogLevel.ERROR, false);

    /** nginx's {@code delay_log_level}: one level below {@code limit_req_log_level}, never below info. */
    public LogLevel delayLogLevel() {
        return logLevel == LogLevel.INFO ? LogLevel.INFO : LogLevel.values()[logLevel.ordinal() - 1];
    }
}
