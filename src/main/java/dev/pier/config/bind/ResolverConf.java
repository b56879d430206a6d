package dev.pier.config.bind;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code resolver} and {@code resolver_timeout} of one location after merging (nginx's core loc conf): the DNS
 * servers a {@code proxy_pass} with variables asks at run time for a host name that names no upstream block.
 *
 * @param servers  {@code resolver ADDRESS ...}, port 53 unless given; empty = none defined (nginx's
 *                 "no resolver defined to resolve HOST")
 * @param valid    {@code valid=TIME}: overrides the answers' TTL when present
 * @param ipv4     {@code ipv4=on|off} (on): ask for A records
 * @param ipv6     {@code ipv6=on|off} (on): ask for AAAA records
 * @param timeout  {@code resolver_timeout} (30s)
 */
public record ResolverConf(List<InetSocketAddress> servers, Optional<Duration> valid, boolean ipv4, boolean ipv6,
                           Duration timeout) {
    public static final ResolverConf NONE = new ResolverConf(List.of(), Optional.empty(), true, true,
            Duration.ofSeconds(30));

    public ResolverConf {
        servers = List.copyOf(servers);
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(timeout, "timeout");
    }

    public boolean defined() {
        return !servers.isEmpty();
    }
}
