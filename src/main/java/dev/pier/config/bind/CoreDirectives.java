package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.Context.EVENTS;
import static dev.pier.config.bind.Context.MAIN;
import static dev.pier.config.bind.DirectiveSpec.block;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** The main and events contexts: nginx's {@code ngx_core_commands} and {@code ngx_event_core_commands}. */
final class CoreDirectives {
    private CoreDirectives() {
    }

    static final List<DirectiveSpec> SPECS = List.of(
            simple("worker_processes", Arity.TAKE1, CoreDirectives::workerProcesses, MAIN),
            simple("pid", Arity.TAKE1, Slots.path(s -> s.main().pid), MAIN),
            simple("daemon", Arity.FLAG, Slots.flag(s -> s.main().daemon), MAIN),
            simple("master_process", Arity.FLAG, Slots.flag(s -> s.main().masterProcess), MAIN),
            simple("worker_shutdown_timeout", Arity.TAKE1, Slots.msec(s -> s.main().workerShutdownTimeout), MAIN),
            simple("worker_spares", Arity.TAKE1, Slots.number(s -> s.main().workerSpares), MAIN),
            simple("error_log", Arity.ONE_OR_MORE, CoreDirectives::errorLog, MAIN),
            simple("user", Arity.TAKE12, CoreDirectives::user, MAIN),
            block("events", Arity.NOARGS, CoreDirectives::events, MAIN),
            simple("worker_connections", Arity.TAKE1, CoreDirectives::workerConnections, EVENTS),
            block("http", Arity.NOARGS, CoreDirectives::http, MAIN));

    /** {@code ngx_set_worker_processes}: a number or {@code auto} (the CPU count). */
    private static void workerProcesses(Directive d, Scope s) throws ConfigException {
        Slot<Integer> slot = s.main().workerProcesses;
        slot.checkUnset(d);
        String v = d.args().getFirst();
        int n = v.equals("auto") ? s.env().cpus() : Values.intNumber(v);
        // nginx accepts 0 (no workers); Pier needs at least one
        if (n < 1) {
            throw Errors.directive(d, "invalid value");
        }
        slot.set(n, d);
    }

    /**
     * {@code user USER [GROUP]} ({@code ngx_set_user}). Only the names are kept here; nginx's lookups and its
     * "ignored" warning for a master that is not root happen where workers are started ({@code WorkerUser}).
     */
    private static void user(Directive d, Scope s) throws ConfigException {
        List<String> a = d.args();
        if (a.stream().anyMatch(String::isEmpty)) {
            throw Errors.directive(d, "invalid value");
        }
        s.main().user.set(new UserConf(a.getFirst(), a.size() > 1 ? Optional.of(a.get(1)) : Optional.empty(),
                d.source()), d);
    }

    private static void errorLog(Directive d, Scope s) throws ConfigException {
        // nginx 1.5.2+: several lines at one level, each message goes to every line whose level it reaches
        s.main().errorLogs.add(ErrorLogParser.parse(d, s.prefix()));
    }

    /** {@code ngx_event_connections}: its own message {@code invalid number "x"}. */
    private static void workerConnections(Directive d, Scope s) throws ConfigException {
        Slot<Integer> slot = s.events().workerConnections;
        slot.checkUnset(d);
        int n = Values.intNumber(d.args().getFirst());
        if (n < 1) {
            throw Errors.at(d, "invalid number " + Errors.q(d.args().getFirst()));
        }
        slot.set(n, d);
    }

    private static void events(Directive d, Scope s) throws ConfigException {
        EventsBuilder e = new EventsBuilder();
        s.main().events.set(e, d);
        s.enterEvents(e).walk(d.children());
    }

    private static void http(Directive d, Scope s) throws ConfigException {
        HttpBuilder h = new HttpBuilder(d.source());
        s.main().http.set(h, d);
        Scope inner = s.enterHttp(h);
        inner.walk(d.children());
        HttpCoreDirectives.addDefaultListens(h, s.env());
    }
}
