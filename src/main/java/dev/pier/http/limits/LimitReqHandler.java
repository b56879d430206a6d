package dev.pier.http.limits;

import dev.pier.config.bind.LimitReqConf;
import dev.pier.http.Exchange;
import dev.pier.http.ExchangeSlot;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.Template;

import java.util.List;

/**
 * {@code limit_req} of one location (ngx_http_limit_req_handler): each limit's key is looked up in its zone; the
 * first over its burst rejects the request with {@code limit_req_status}, else the longest delay any limit asks for
 * suspends it on the event loop ({@link PhaseResult.Delay}). Runs once per request: after a delay, or in the
 * location an internal redirect reaches, {@code $limit_req_status} is set and the handler declines.
 */
final class LimitReqHandler implements PhaseHandler {
    static final ExchangeSlot<String> STATUS = ExchangeSlot.create("limit_req_status", String.class);

    /** One limit, compiled. */
    record Compiled(LimitReqConf.Limit limit, ReqZone zone, Template key) {
    }

    private final LimitReqConf conf;
    private final List<Compiled> limits;
    private final java.util.function.LongSupplier clock;

    LimitReqHandler(LimitReqConf conf, List<Compiled> limits, java.util.function.LongSupplier clock) {
        this.conf = conf;
        this.limits = List.copyOf(limits);
        this.clock = clock;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        if (ex.get(STATUS) != null) {
            return PhaseResult.DECLINED;
        }
        int n = limits.size();
        long[] hashes = new long[n];
        long now = clock.getAsLong();
        int lastChecked = -1;
        long lastExcess = 0;
        for (int i = 0; i < n; i++) {
            Compiled c = limits.get(i);
            String key = c.key().render(ex);
            if (key == null || key.isEmpty()) {
                continue;
            }
            if (key.length() > 65535) {
                ex.log().error("the value of the \"" + c.zone().zone().key() + "\" key is more than 65535 bytes: \""
                        + key.substring(0, 64) + "...\"" + ex.logContext());
                continue;
            }
            hashes[i] = KeyHash.of(key);
            long e = c.zone().lookup(hashes[i], c.limit().burst(), i == n - 1, now);
            if (e < 0) {
                return reject(ex, c, -1 - e);
            }
            lastChecked = i;
            lastExcess = e;
        }
        if (lastChecked < 0) {
            return PhaseResult.DECLINED; // every key empty: not limited
        }
        long delay = 0;
        long excess = 0;
        Compiled by = null;
        for (int i = 0; i < n; i++) {
            if (hashes[i] == 0) {
                continue;
            }
            Compiled c = limits.get(i);
            long e = i == n - 1 ? lastExcess : c.zone().account(hashes[i], now);
            long d = LeakyBucket.delayMillis(e, c.limit().delay(), c.zone().rate());
            if (d > delay) {
                delay = d;
                excess = e;
                by = c;
            }
        }
        if (delay == 0) {
            ex.put(STATUS, "PASSED");
            return PhaseResult.DECLINED;
        }
        ex.log().log(conf.delayLogLevel(), "delaying request" + (conf.dryRun() ? ", dry run" : "") + ", excess: "
                + LeakyBucket.format(excess) + ", by zone \"" + by.zone().zone().name() + "\"" + ex.logContext());
        if (conf.dryRun()) {
            ex.put(STATUS, "DELAYED_DRY_RUN");
            return PhaseResult.DECLINED;
        }
        ex.put(STATUS, "DELAYED");
        return new PhaseResult.Delay(delay);
    }

    private PhaseResult reject(Exchange ex, Compiled c, long excess) {
        ex.log().log(conf.logLevel(), "limiting requests" + (conf.dryRun() ? ", dry run" : "") + ", excess: "
                + LeakyBucket.format(excess) + " by zone \"" + c.zone().zone().name() + "\"" + ex.logContext());
        if (conf.dryRun()) {
            ex.put(STATUS, "REJECTED_DRY_RUN");
            return PhaseResult.DECLINED;
        }
        ex.put(STATUS, "REJECTED");
        return new PhaseResult.Fail(HttpError.forStatus(conf.status()));
    }
}
