package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every address the http block listens on, grouped by port, with the servers on each: nginx's
 * {@code ngx_http_add_listen}, {@code ngx_http_add_address} and {@code ngx_http_add_server}, including their checks
 * ({@code a duplicate listen}, {@code duplicate listen options for}, {@code a duplicate default server for}).
 */
final class ListenTable {

    /** nginx keys ports by address family and port; Unix sockets share one "port". */
    record PortKey(String family, int port) {
        static PortKey of(ListenAddress a) {
            return switch (a) {
                case ListenAddress.Inet i -> new PortKey(i.isIpv6() ? "inet6" : "inet", i.port());
                case ListenAddress.Unix u -> new PortKey("unix", 0);
            };
        }
    }

    /** One address of a port: its socket spec (from the listen that carried options), servers and default. */
    static final class Addr {
        ListenSpec spec;
        boolean optionsSet;
        boolean defaultMarked;
        ServerBuilder defaultServer;
        final List<ServerBuilder> servers = new ArrayList<>();

        Addr(ParsedListen l, ServerBuilder server) {
            spec = l.spec();
            optionsSet = l.optionsSet();
            defaultMarked = l.defaultServer();
            defaultServer = server;
            servers.add(server);
        }

        ListenAddress address() {
            return spec.address();
        }
    }

    private final Map<PortKey, List<Addr>> ports = new LinkedHashMap<>();

    Map<PortKey, List<Addr>> ports() {
        return ports;
    }

    void add(ParsedListen l, ServerBuilder server) throws ConfigException {
        List<Addr> addrs = ports.computeIfAbsent(PortKey.of(l.address()), k -> new ArrayList<>());
        for (Addr a : addrs) {
            if (!a.address().equals(l.address())) {
                continue;
            }
            if (a.servers.contains(server)) {
                throw error("a duplicate listen " + a.address(), l.source());
            }
            a.servers.add(server);
            if (l.optionsSet()) {
                if (a.optionsSet) {
                    throw error("duplicate listen options for " + a.address(), l.source());
                }
                a.spec = l.spec();
                a.optionsSet = true;
            }
            if (l.defaultServer()) {
                if (a.defaultMarked) {
                    throw error("a duplicate default server for " + a.address(), l.source());
                }
                a.defaultMarked = true;
                a.defaultServer = server;
            }
            return;
        }
        addrs.add(new Addr(l, server));
    }

    private static ConfigException error(String message, Source source) {
        return new ConfigException(message, source);
    }
}
