package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.block;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** nginx's {@code ngx_http_core_commands} that Pier knows so far (plus {@code index} from the index module). */
final class HttpCoreDirectives {
    private HttpCoreDirectives() {
    }

    static final List<DirectiveSpec> SPECS = List.of(
            block("server", Arity.NOARGS, HttpCoreDirectives::server, HTTP),
            simple("listen", Arity.ONE_OR_MORE, HttpCoreDirectives::listen, SERVER),
            simple("server_name", Arity.ONE_OR_MORE, HttpCoreDirectives::serverName, SERVER),
            block("location", Arity.TAKE12, LocationDirective::location, SERVER, LOCATION),
            simple("root", Arity.TAKE1, HttpCoreDirectives::root, HTTP, SERVER, LOCATION,
                    Context.IF_LOCATION),
            simple("index", Arity.ONE_OR_MORE, HttpCoreDirectives::index, HTTP, SERVER, LOCATION),
            simple("keepalive_timeout", Arity.TAKE12, HttpCoreDirectives::keepaliveTimeout, HTTP, SERVER, LOCATION),
            simple("keepalive_requests", Arity.TAKE1, Slots.number(s -> s.location().keepaliveRequests),
                    HTTP, SERVER, LOCATION));

    private static void root(Directive d, Scope s) throws ConfigException {
        if (CoreLocModule.hasAlias(s)) {
            throw Errors.at(d, "\"root\" directive is duplicate, \"alias\" directive was specified earlier");
        }
        s.location().root.set(s.prefix().resolve(d.args().getFirst()), d);
    }

    private static void server(Directive d, Scope s) throws ConfigException {
        ServerBuilder server = new ServerBuilder(d.source());
        s.http().servers.add(server);
        s.enterServer(server).walk(d.children());
    }

    private static void listen(Directive d, Scope s) throws ConfigException {
        ParsedListen l = ListenParser.parse(d, s.env().resolver());
        s.http().listens.add(l, s.server());
        s.server().listens.add(l.address());
    }

    /** {@code ngx_http_core_server_name}: {@code *.x} and {@code .x} need a name after the dot. */
    private static void serverName(Directive d, Scope s) throws ConfigException {
        for (String name : d.args()) {
            if (name.startsWith("*") && (name.length() < 3 || name.charAt(1) != '.')
                    || name.startsWith(".") && name.length() < 2) {
                throw Errors.at(d, "server name " + Errors.q(name) + " is invalid");
            }
            if (name.equals("~")) {
                throw Errors.at(d, "empty regex in server name " + Errors.q(name));
            }
            String stored = name.equalsIgnoreCase("$hostname") ? hostname() : name;
            s.server().serverNames.add(name.startsWith("~") ? stored : stored.toLowerCase(Locale.ROOT));
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@code ngx_http_index_set_index}: names add up; an empty name is invalid. */
    private static void index(Directive d, Scope s) throws ConfigException {
        for (String name : d.args()) {
            if (name.isEmpty()) {
                throw Errors.at(d, "index " + Errors.q(name) + " in \"index\" directive is invalid");
            }
        }
        s.location().indexForWrite().addAll(d.args());
    }

    /**
     * {@code ngx_http_core_keepalive}: the timeout, and the seconds of the {@code Keep-Alive} response header (kept in
     * {@link KeepaliveConf}, merged separately as nginx's {@code keepalive_header}).
     */
    private static void keepaliveTimeout(Directive d, Scope s) throws ConfigException {
        Slot<Duration> slot = s.location().keepaliveTimeout;
        slot.checkUnset(d);
        long ms = Values.msec(d.args().getFirst());
        long header = d.args().size() == 2 ? Values.sec(d.args().get(1)) : 0;
        if (ms < 0 || header < 0) {
            throw Errors.directive(d, "invalid value");
        }
        slot.set(Duration.ofMillis(ms), d);
        if (d.args().size() == 2) {
            s.module(KeepaliveModule.INSTANCE).headerSeconds.set(header, d);
        }
    }

    /**
     * nginx's {@code ngx_http_core_merge_srv_conf}: a server without {@code listen} listens on {@code *:80} when
     * started as root and {@code *:8000} otherwise.
     */
    static void addDefaultListens(HttpBuilder h, BindEnvironment env) throws ConfigException {
        for (ServerBuilder server : h.servers) {
            if (server.listens.isEmpty()) {
                ParsedListen l = ParsedListen.defaultFor(env.root() ? 80 : 8000, server.source);
                h.listens.add(l, server);
                server.listens.add(l.address());
            }
        }
    }
}
