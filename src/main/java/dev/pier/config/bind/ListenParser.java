package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code listen ADDRESS [options]} as nginx's {@code ngx_http_core_listen}. The address is parsed by
 * {@link ListenUrl}; every socket option implies {@code bind} (the address gets a socket of its own).
 */
final class ListenParser {
    private ListenParser() {
    }

    static final InetAddress IPV4_ANY = ListenUrl.ipv4(0, 0, 0, 0);

    static ParsedListen parse(Directive d, BindEnvironment.Resolver resolver) throws ConfigException {
        String url = d.args().getFirst();
        ListenAddress address;
        try {
            address = ListenUrl.parse(url, resolver);
        } catch (ListenUrl.UrlException e) {
            throw Errors.at(d, e.getMessage() + " in " + Errors.q(url) + " of the \"listen\" directive");
        }
        Options o = new Options();
        for (String arg : d.args().subList(1, d.args().size())) {
            option(d, arg, o);
        }
        ListenSpec spec = new ListenSpec(address, o.reuseport, o.backlog, o.rcvbuf, o.sndbuf, o.deferred, o.ipv6only,
                o.soKeepalive, o.fastopen, o.bind);
        return new ParsedListen(spec, o.defaultServer, o.bind, d.source());
    }

    /** Mutable option state for one listen line; {@code bind} doubles as nginx's {@code set}. */
    private static final class Options {
        boolean defaultServer, bind, reuseport, deferred, ipv6only = true;
        int backlog = ListenSpec.DEFAULT_BACKLOG, rcvbuf = -1, sndbuf = -1, fastopen = -1;
        SoKeepalive soKeepalive = SoKeepalive.DEFAULT;
    }

    private static void option(Directive d, String arg, Options o) throws ConfigException {
        if (arg.equals("default_server") || arg.equals("default")) {
            o.defaultServer = true;
            return;
        }
        o.bind = true; // every other accepted option is a socket option, which implies bind
        if (arg.equals("bind")) {
            return;
        } else if (arg.equals("reuseport")) {
            o.reuseport = true;
        } else if (arg.equals("deferred")) {
            o.deferred = true;
        } else if (arg.startsWith("fastopen=")) {
            o.fastopen = Values.intNumber(arg.substring(9));
            if (o.fastopen < 0) {
                throw Errors.at(d, "invalid fastopen " + Errors.q(arg));
            }
        } else if (arg.startsWith("backlog=")) {
            o.backlog = Values.intNumber(arg.substring(8));
            if (o.backlog <= 0) {
                throw Errors.at(d, "invalid backlog " + Errors.q(arg));
            }
        } else if (arg.startsWith("rcvbuf=")) {
            o.rcvbuf = bufferSize(d, arg);
        } else if (arg.startsWith("sndbuf=")) {
            o.sndbuf = bufferSize(d, arg);
        } else if (arg.startsWith("ipv6only=o")) {
            switch (arg.substring(10)) {
                case "n" -> o.ipv6only = true;
                case "ff" -> o.ipv6only = false;
                default -> throw Errors.at(d, "invalid ipv6only flags " + Errors.q(arg.substring(9)));
            }
        } else if (arg.startsWith("so_keepalive=")) {
            o.soKeepalive = SoKeepaliveParser.parse(d, arg.substring(13));
        } else if (arg.equals("ssl") || arg.equals("http2") || arg.equals("quic")) {
            String module = arg.equals("ssl") ? "ngx_http_ssl_module"
                    : arg.equals("http2") ? "ngx_http_v2_module" : "ngx_http_v3_module";
            throw Errors.at(d, "the " + Errors.q(arg) + " parameter requires " + module);
        } else {
            throw Errors.at(d, "invalid parameter " + Errors.q(arg));
        }
    }

    private static int bufferSize(Directive d, String arg) throws ConfigException {
        long v = Values.size(arg.substring(7));
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw Errors.at(d, "invalid " + arg.substring(0, 6) + " " + Errors.q(arg));
        }
        return (int) v;
    }

    static InetAddress resolveFirst(BindEnvironment.Resolver r, String host) throws UnknownHostException {
        var all = r.resolve(host);
        if (all.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return all.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(all.getFirst());
    }
}
