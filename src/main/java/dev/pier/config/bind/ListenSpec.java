package dev.pier.config.bind;

import java.util.Objects;

/**
 * One listening socket as the master must open it: the address and every socket option from {@code listen}.
 * Two specs with the same address are the same socket; the master and a new master compare specs with {@code equals}.
 * Unset numeric options are {@code -1} (the kernel's default); {@code backlog} defaults to 511 as in nginx.
 *
 * @param deferred       TCP_DEFER_ACCEPT
 * @param ipv6only       IPV6_V6ONLY for IPv6 addresses (nginx's default: on)
 * @param bind           {@code bind}: open a socket of its own even when a wildcard listen on the same port exists
 */
public record ListenSpec(ListenAddress address, boolean reuseport, int backlog, int rcvbuf, int sndbuf,
                         boolean deferred, boolean ipv6only, SoKeepalive soKeepalive, int fastopen, boolean bind) {

    public static final int DEFAULT_BACKLOG = 511;

    public ListenSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(soKeepalive, "soKeepalive");
        if (backlog < -1 || rcvbuf < -1 || sndbuf < -1 || fastopen < -1) {
            throw new IllegalArgumentException("bad listen option value");
        }
    }

    /** A spec with every option at its default. */
    public static ListenSpec of(ListenAddress address) {
        return new ListenSpec(address, false, DEFAULT_BACKLOG, -1, -1, false, true, SoKeepalive.DEFAULT, -1, false);
    }

    public ListenSpec withReuseport(boolean on) {
        return new ListenSpec(address, on, backlog, rcvbuf, sndbuf, deferred, ipv6only, soKeepalive, fastopen, bind);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
