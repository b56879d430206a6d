package dev.pier.config.bind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the listen table into listening sockets as nginx's {@code ngx_http_init_listening}: on a port with a
 * wildcard address, only the wildcard and the addresses with {@code bind} (or socket options) get sockets; every
 * other specific address on that port is served through the wildcard socket and picked by the connection's local
 * address. Without a wildcard each address is its own socket. IPv4 and IPv6 are separate ports, as are Unix paths.
 */
final class ListenerPlanner {
    private ListenerPlanner() {
    }

    static List<Listener> plan(ListenTable table, Map<ServerBuilder, ServerConf> servers) {
        List<Listener> out = new ArrayList<>();
        for (List<ListenTable.Addr> port : table.ports().values()) {
            // nginx's ngx_http_cmp_conf_addrs: explicit binds first, implicit ones next, the wildcard last
            List<ListenTable.Addr> addrs = new ArrayList<>(port);
            addrs.sort(Comparator.comparingInt(ListenerPlanner::rank));
            ListenTable.Addr last = addrs.getLast();
            boolean wildcard = isWildcard(last);
            List<VirtualAddress> shared = new ArrayList<>();
            for (ListenTable.Addr a : addrs) {
                if (wildcard && a != last && !a.spec.bind()) {
                    shared.add(virtual(a, servers));
                } else if (a == last && wildcard) {
                    shared.add(virtual(a, servers));
                    out.add(new Listener(a.spec, shared));
                } else {
                    out.add(new Listener(a.spec, List.of(virtual(a, servers))));
                }
            }
        }
        return out;
    }

    private static int rank(ListenTable.Addr a) {
        return isWildcard(a) ? 2 : a.spec.bind() ? 0 : 1;
    }

    private static boolean isWildcard(ListenTable.Addr a) {
        return a.address() instanceof ListenAddress.Inet i && i.isWildcard();
    }

    private static VirtualAddress virtual(ListenTable.Addr a, Map<ServerBuilder, ServerConf> servers) {
        return new VirtualAddress(a.address(), servers.get(a.defaultServer),
                a.servers.stream().map(servers::get).toList());
    }

    static Map<ServerBuilder, ServerConf> identityMap() {
        return new IdentityHashMap<>();
    }
}
