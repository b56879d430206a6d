package dev.pier.http;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.VirtualAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * One listening socket's addresses. A connection picks the {@link VirtualAddress} equal to its local address, else
 * the wildcard one (nginx's {@code ngx_http_init_connection}), once per connection.
 */
public final class ListenerRuntime {
    private final ListenAddress[] addresses;
    private final SelectionTable[] tables;
    private final int wildcard;

    ListenerRuntime(List<ListenAddress> addresses, List<SelectionTable> tables) {
        this.addresses = addresses.toArray(ListenAddress[]::new);
        this.tables = tables.toArray(SelectionTable[]::new);
        int w = 0;
        for (int i = 0; i < this.addresses.length; i++) {
            if (this.addresses[i] instanceof ListenAddress.Inet inet && inet.isWildcard()) {
                w = i;
                break;
            }
        }
        this.wildcard = w;
    }

    /**
     * The selection table for connection {@code ch}: its local address is read (a system call for an accepted
     * connection, see {@code PierSocketChannel}) only when this listener's addresses have more than one table.
     */
    public SelectionTable select(io.netty.channel.Channel ch) {
        if (tables.length > 1 && ch.localAddress() instanceof InetSocketAddress isa) {
            for (int i = 0; i < addresses.length; i++) {
                if (addresses[i] instanceof ListenAddress.Inet inet && !inet.isWildcard()
                        && inet.port() == isa.getPort() && inet.host().equals(isa.getAddress())) {
                    return tables[i];
                }
            }
        }
        return tables[wildcard];
    }

    /**
     * The port this listener's addresses use, for {@code $server_port} when the socket cannot tell; empty for a Unix
     * socket, whose {@code $server_port} nginx leaves empty.
     */
    String configuredPort() {
        return addresses[0] instanceof ListenAddress.Inet inet ? Integer.toString(inet.port()) : "";
    }

    /** {@code unix:PATH} for a Unix-socket listener ({@code $server_addr}, as nginx prints the socket's name). */
    String unixName() {
        return addresses[0] instanceof ListenAddress.Unix u ? u.toString() : "unix:";
    }
}
