package dev.pier.http.limits;

import dev.pier.config.bind.LimitConnConf;
import dev.pier.http.Exchange;
import dev.pier.http.ExchangeSlot;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.Template;

import java.util.List;

/**
 * {@code limit_conn} of one location (ngx_http_limit_conn_handler): each limit's key counts one more request in
 * flight in its zone, or the request is rejected with {@code limit_conn_status} (counts taken by earlier limits
 * are given back). The counts are released when the request ends ({@link Held}). Runs once per request.
 */
final class LimitConnHandler implements PhaseHandler {
    static final ExchangeSlot<String> STATUS = ExchangeSlot.create("limit_conn_status", String.class);
    static final ExchangeSlot<Held> HELD = ExchangeSlot.create("limit_conn_held", Held.class);

    /** One limit, compiled. */
    record Compiled(LimitConnConf.Limit limit, ConnZone zone, Template key) {
    }

    private final LimitConnConf conf;
    private final List<Compiled> limits;

    LimitConnHandler(LimitConnConf conf, List<Compiled> limits) {
        this.conf = conf;
        this.limits = List.copyOf(limits);
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        if (ex.get(STATUS) != null) {
            return PhaseResult.DECLINED;
        }
        Held held = null;
        boolean checked = false;
        for (Compiled c : limits) {
            String key = c.key().render(ex);
            if (key == null || key.isEmpty()) {
                continue;
            }
            if (key.length() > 255) {
                ex.log().error("the value of the \"" + c.zone().zone().key() + "\" key is more than 255 bytes: \""
                        + key + "\"" + ex.logContext());
                continue;
            }
            checked = true;
            long hash = KeyHash.of(key);
            int r = c.zone().acquire(hash, c.limit().conn());
            if (r != ConnZone.ACQUIRED) {
                if (held != null) {
                    held.release();
                }
                String zone = c.zone().zone().name();
                if (r == ConnZone.NO_ROOM) {
                    ex.log().crit("ngx_slab_alloc() failed: no memory in limit_conn_zone \"" + zone + "\"");
                } else {
                    ex.log().log(conf.logLevel(), "limiting connections" + (conf.dryRun() ? ", dry run," : "")
                            + " by zone \"" + zone + "\"" + ex.logContext());
                }
                if (conf.dryRun()) {
                    ex.put(STATUS, "REJECTED_DRY_RUN");
                    return PhaseResult.DECLINED;
                }
                ex.put(STATUS, "REJECTED");
                return new PhaseResult.Fail(HttpError.forStatus(conf.status()));
            }
            if (held == null) {
                held = new Held(ex.channel());
            }
            held.add(c.zone(), hash);
        }
        if (checked) {
            ex.put(STATUS, "PASSED");
        }
        if (held != null) {
            ex.put(HELD, held);
            held.watch();
        }
        return PhaseResult.DECLINED;
    }
}
