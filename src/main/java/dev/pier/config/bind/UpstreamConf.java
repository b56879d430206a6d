package dev.pier.config.bind;

import dev.pier.config.Source;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An {@code upstream NAME { ... }} block, or the implicit one nginx makes for {@code proxy_pass http://host:port}.
 *
 * @param servers   in file order; each resolved to one or more addresses at bind time, as nginx does
 * @param balancing the block's method, round-robin unless a method directive says otherwise
 * @param keepalive the idle-connection cache; {@code connections == 0} means none ({@code keepalive} not given)
 */
public record UpstreamConf(String name, List<Server> servers, Balancing balancing, Keepalive keepalive,
                           boolean implicit, Source source) {
    public UpstreamConf {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(source, "source");
    }

    /**
     * {@code server ADDRESS [weight=N] [max_fails=N] [fail_timeout=T] [backup] [down] [max_conns=N]}; an address
     * is an {@link java.net.InetSocketAddress} or, for {@code unix:/path}, a {@link java.net.UnixDomainSocketAddress}.
     */
    public record Server(String name, List<SocketAddress> addresses, int weight, int maxFails,
                         Duration failTimeout, boolean backup, boolean down, int maxConns) {
        public Server {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(failTimeout, "failTimeout");
        }
    }

    /** The balancing directives of an upstream block. */
    public sealed interface Balancing {
        record RoundRobin() implements Balancing {
        }

        record LeastConn() implements Balancing {
        }

        record IpHash() implements Balancing {
        }

        /** {@code hash KEY [consistent]}; the key is a template compiled by the proxy module. */
        record Hash(String key, boolean consistent) implements Balancing {
        }

        /** {@code random [two [least_conn]]}. */
        record Random(boolean two) implements Balancing {
        }
    }

    /** {@code keepalive N}, {@code keepalive_requests} (1000), {@code keepalive_timeout} (60s), {@code keepalive_time} (1h). */
    public record Keepalive(int connections, int requests, Duration timeout, Duration time) {
        public static final Keepalive NONE = new Keepalive(0, 1000, Duration.ofSeconds(60), Duration.ofHours(1));
    }
}
