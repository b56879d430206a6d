package dev.pier.http.proxy.upstream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * One address of one {@code server} line (a name that resolves to two addresses gives two peers with one
 * {@link #server()}), with nginx's per-worker run-time state ({@code ngx_http_upstream_rr_peer_t}). The mutable fields
 * are guarded by the owning {@link PeerSet}'s lock: a worker's event loops share one view of each peer's health, as
 * nginx's single-threaded worker does.
 */
public final class Peer {
    private final String server;
    private final SocketAddress address;
    private final int weight;
    private final int maxFails;
    private final long failTimeoutMillis;
    private final int maxConns;
    private final boolean down;
    /** {@link #addressText()}, made once: every proxied request logs it ({@code $upstream_addr}). */
    private final String addressText;

    int currentWeight;
    int effectiveWeight;
    int conns;
    int fails;
    long accessed;
    long checked;

    public Peer(String server, SocketAddress address, int weight, int maxFails, long failTimeoutMillis,
                int maxConns, boolean down) {
        this.server = Objects.requireNonNull(server, "server");
        this.address = Objects.requireNonNull(address, "address");
        if (weight < 1 || maxFails < 0 || failTimeoutMillis < 0 || maxConns < 0) {
            throw new IllegalArgumentException("peer " + server);
        }
        this.weight = weight;
        this.maxFails = maxFails;
        this.failTimeoutMillis = failTimeoutMillis;
        this.maxConns = maxConns;
        this.down = down;
        this.effectiveWeight = weight;
        this.addressText = text(address);
    }

    /** A peer with nginx's defaults: {@code weight=1 max_fails=1 fail_timeout=10s}. */
    public static Peer of(String server, InetSocketAddress address, int weight) {
        return new Peer(server, address, weight, 1, 10_000, 0, false);
    }

    /** The {@code server} argument as written ({@code backend.example:8080}): what consistent hashing hashes. */
    public String server() {
        return server;
    }

    /** An {@link InetSocketAddress}, or a {@link UnixDomainSocketAddress} for {@code server unix:/path}. */
    public SocketAddress address() {
        return address;
    }

    /** {@code $upstream_addr}'s form: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code unix:/path}. */
    public String addressText() {
        return addressText;
    }

    private static String text(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress u) {
            return "unix:" + u.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    public int weight() {
        return weight;
    }

    public int maxFails() {
        return maxFails;
    }

    public long failTimeoutMillis() {
        return failTimeoutMillis;
    }

    public int maxConns() {
        return maxConns;
    }

    public boolean down() {
        return down;
    }

    /**
     * nginx's test in every balancer: not {@code down}, not failed {@code max_fails} times within the last
     * {@code fail_timeout}, and under {@code max_conns}. Caller holds the set's lock.
     */
    boolean usable(long now) {
        if (down) {
            return false;
        }
        if (maxFails > 0 && fails >= maxFails && now - checked <= failTimeoutMillis) {
            return false;
        }
        return maxConns == 0 || conns < maxConns;
    }

    /** After a peer is chosen: starts a new {@code fail_timeout} window if the old one is over (nginx's checked). */
    void chosen(long now) {
        if (now - checked > failTimeoutMillis) {
            checked = now;
        }
        conns++;
    }

    @Override
    public String toString() {
        return server + " (" + addressText() + ")";
    }
}
