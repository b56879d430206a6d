package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * nginx's {@code resolver ADDRESS ... [valid=TIME] [ipv4=on|off] [ipv6=on|off]} and {@code resolver_timeout TIME}
 * (core module, http/server/location): the line is inherited as a whole, like nginx's {@code clcf->resolver}.
 * An address is an IP with an optional port (53), or a name resolved now, as nginx resolves it at load time.
 */
public final class ResolverModule implements ConfModule<ResolverModule.Builder, ResolverConf> {
    public static final ResolverModule INSTANCE = new ResolverModule();

    private ResolverModule() {
    }

    /** One level while binding; {@code line} stays null until {@code resolver} is given. */
    public static final class Builder {
        ResolverConf line;
        final Slot<Duration> timeout = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    private static final List<DirectiveSpec> SPECS = List.of(
            simple("resolver", Arity.ONE_OR_MORE, ResolverModule::resolver, HTTP, SERVER, LOCATION),
            simple("resolver_timeout", Arity.TAKE1, Slots.msec(s -> b(s).timeout), HTTP, SERVER, LOCATION));

    private static void resolver(Directive d, Scope s) throws ConfigException {
        Builder b = b(s);
        if (b.line != null) {
            throw Errors.directive(d, "is duplicate");
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        Optional<Duration> valid = Optional.empty();
        boolean ipv4 = true;
        boolean ipv6 = true;
        for (String a : d.args()) {
            if (a.startsWith("valid=")) {
                long ms = Values.msec(a.substring(6));
                if (ms < 0) {
                    throw Errors.at(d, "invalid parameter: " + a);
                }
                valid = Optional.of(Duration.ofMillis(ms));
            } else if (a.startsWith("ipv4=")) {
                ipv4 = Slots.flagValue(d, a.substring(5));
            } else if (a.startsWith("ipv6=")) {
                ipv6 = Slots.flagValue(d, a.substring(5));
            } else if (a.startsWith("status_zone=")) {
                // nginx Plus statistics: nothing to collect
            } else {
                servers.addAll(address(d, a, s.env().resolver()));
            }
        }
        if (!ipv4 && !ipv6) {
            throw Errors.at(d, "\"ipv4\" and \"ipv6\" cannot both be \"off\"");
        }
        if (servers.isEmpty()) {
            throw Errors.at(d, "invalid number of arguments in " + Errors.q(d.name()) + " directive");
        }
        b.line = new ResolverConf(servers, valid, ipv4, ipv6, ResolverConf.NONE.timeout());
    }

    /** {@code ADDR}, {@code ADDR:PORT}, {@code [V6]}, {@code [V6]:PORT}, or a host name resolved now. */
    static List<InetSocketAddress> address(Directive d, String a, BindEnvironment.Resolver resolver)
            throws ConfigException {
        String host = a;
        String port = null;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0 || (close + 1 < a.length() && a.charAt(close + 1) != ':')) {
                throw Errors.at(d, "invalid address in resolver " + Errors.q(a));
            }
            host = a.substring(1, close);
            port = close + 1 < a.length() ? a.substring(close + 2) : null;
        } else if (a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':')) {
            host = a.substring(0, a.indexOf(':'));
            port = a.substring(a.indexOf(':') + 1);
        }
        int p = 53;
        if (port != null) {
            long v = Values.number(port);
            if (v < 1 || v > 65535) {
                throw Errors.at(d, "invalid port in resolver " + Errors.q(a));
            }
            p = (int) v;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        InetAddress literal = ListenUrl.ipv4Literal(host);
        try {
            if (literal != null || host.indexOf(':') >= 0) {
                out.add(new InetSocketAddress(literal != null ? literal : InetAddress.getByName(host), p));
                return out;
            }
            for (InetAddress ia : resolver.resolve(host)) {
                out.add(new InetSocketAddress(ia, p));
            }
        } catch (UnknownHostException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            throw Errors.at(d, "host not found in resolver " + Errors.q(a));
        }
        return out;
    }

    @Override
    public Class<ResolverConf> confType() {
        return ResolverConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return SPECS;
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public ResolverConf merge(Builder b, ResolverConf p) {
        ResolverConf line = b.line != null ? b.line : p;
        return new ResolverConf(line.servers(), line.valid(), line.ipv4(), line.ipv6(), b.timeout.orElse(p.timeout()));
    }

    @Override
    public ResolverConf defaults(Path prefix) {
        return ResolverConf.NONE;
    }

    @Override
    public String toString() {
        return "resolver";
    }
}
