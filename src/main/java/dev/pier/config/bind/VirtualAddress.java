package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;

/**
 * The servers reachable through one address of a listening socket. A wildcard socket ({@code *:80}) may carry several:
 * its own and each specific address on the same port that has no {@code bind} ({@code 127.0.0.1:80}); a connection
 * picks the one equal to its local address, else the wildcard one, exactly as nginx does.
 *
 * @param defaultServer the {@code default_server} for this address, or the first server that listens on it
 * @param servers       every server listening on this address, in file order
 */
public record VirtualAddress(ListenAddress address, ServerConf defaultServer, List<ServerConf> servers) {
    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(defaultServer, "defaultServer");
        servers = List.copyOf(servers);
    }
}
