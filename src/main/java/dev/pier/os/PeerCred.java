package dev.pier.os;

/**
 * The credentials of the process at the other end of a Unix socket ({@code SO_PEERCRED}, {@code struct ucred}),
 * recorded by the kernel at connect (or socketpair) time, so a peer cannot forge them.
 */
public record PeerCred(int pid, int uid, int gid) {
}
