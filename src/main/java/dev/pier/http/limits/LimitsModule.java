package dev.pier.http.limits;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LimitConnConf;
import dev.pier.config.bind.LimitReqConf;
import dev.pier.config.bind.LimitZone;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.AccessLogs;
import dev.pier.http.Exchange;
import dev.pier.http.HttpModule;
import dev.pier.http.LogHandler;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.Template;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code limit_req} and {@code limit_conn} in the preaccess phase, in nginx's order (limit_req first), and the
 * release of {@code limit_conn}'s counts in every location's log phase (a request may end in a location other than
 * the one that counted it).
 */
public final class LimitsModule implements HttpModule {
    /** Zone time: a monotonic clock every process of the machine shares (CLOCK_MONOTONIC). */
    static final java.util.function.LongSupplier CLOCK = () -> System.nanoTime() / 1_000_000;

    @Override
    public Optional<PhaseHandler> preaccess(LocationConf loc) throws ConfigException {
        LimitReqConf req = loc.modules().get(LimitReqConf.class);
        LimitConnConf conn = loc.modules().get(LimitConnConf.class);
        List<PhaseHandler> handlers = new ArrayList<>(2);
        if (!req.limits().isEmpty()) {
            List<LimitReqHandler.Compiled> c = new ArrayList<>();
            for (LimitReqConf.Limit l : req.limits()) {
                c.add(new LimitReqHandler.Compiled(l, new ReqZone(l.zone(), table(l.zone())), key(l.zone())));
            }
            handlers.add(new LimitReqHandler(req, c, CLOCK));
        }
        if (!conn.limits().isEmpty()) {
            List<LimitConnHandler.Compiled> c = new ArrayList<>();
            for (LimitConnConf.Limit l : conn.limits()) {
                c.add(new LimitConnHandler.Compiled(l, new ConnZone(l.zone(), table(l.zone())), key(l.zone())));
            }
            handlers.add(new LimitConnHandler(conn, c));
        }
        return switch (handlers.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(handlers.getFirst());
            default -> Optional.of(ex -> {
                PhaseResult r = handlers.get(0).handle(ex);
                return r != PhaseResult.DECLINED ? r : handlers.get(1).handle(ex);
            });
        };
    }

    @Override
    public Optional<LogHandler> log(LocationConf loc, AccessLogs files) {
        return Optional.of(LimitsModule::released);
    }

    private static void released(Exchange ex) {
        Held h = ex.get(LimitConnHandler.HELD);
        if (h != null) {
            h.release();
        }
    }

    private static Template key(LimitZone z) throws ConfigException {
        return Template.compile(z.key(), z.source());
    }

    /** nginx fails start-up (emerg) when a zone cannot be created; so does a worker here. */
    private static ZoneTable table(LimitZone z) throws ConfigException {
        try {
            return ZoneFiles.open(z);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("could not map " + z.kind().directive() + " \"" + z.name() + "\": " + e,
                    z.source());
        }
    }
}
