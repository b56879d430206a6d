package dev.pier.os;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.SoKeepalive;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Opens listening sockets as nginx's {@code ngx_open_listening_sockets} and {@code ngx_configure_listening_sockets}
 * do, with every option of a {@code listen} directive, and reports failures in nginx's words.
 *
 * <p>Order: socket(CLOEXEC, NONBLOCK: the master never accepts, but every worker that holds a duplicate does, and
 * during a reload an old and a new worker watch the same socket: both wake for one connection, and the one that loses
 * the race must get EAGAIN, not block its event loop in accept()), SO_REUSEADDR (TCP only, as nginx), SO_REUSEPORT,
 * IPV6_V6ONLY, buffer sizes, keepalive, TCP_FASTOPEN, bind, listen, TCP_DEFER_ACCEPT. Unlike nginx, which logs
 * "failed, ignored" for buffer, keepalive, fastopen and deferred options, every failure here closes the socket and
 * throws: an option the operator asked for that silently did not apply is worse than a refused start.
 *
 * <p>{@code deferred}: nginx sets TCP_DEFER_ACCEPT to 1 second (there is no way to learn how long a connection waited,
 * and syncookies bypass the deferred queue), after which the kernel hands over the connection anyway; Pier does the same.
 *
 * <p>Unix sockets: a leftover socket file nobody accepts on (connect gets ECONNREFUSED) is removed first; a live one, or
 * any other kind of file, is left and bind fails with EADDRINUSE as in nginx. After bind the file is made 0666, as
 * nginx does, so local clients of any user can connect; restrict access with the directory's permissions.
 */
public final class ListenSockets {
    /** nginx's TCP_DEFER_ACCEPT timeout for {@code deferred}, in seconds. */
    public static final int DEFER_ACCEPT_SECONDS = 1;

    private ListenSockets() {
    }

    /** Opens, configures, binds and listens; returns the descriptor (close-on-exec, non-blocking). */
    public static int open(ListenSpec spec) throws OsException {
        ListenAddress address = spec.address();
        String name = address.toString();
        int fd = Libc.socket(SockAddr.family(address), Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
                "socket() " + name);
        try (Arena arena = Arena.ofConfined()) {
            boolean tcp = address instanceof ListenAddress.Inet;
            if (tcp) {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR) " + name);
            }
            if (spec.reuseport()) {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT) " + name);
            }
            if (address instanceof ListenAddress.Inet inet && inet.isIpv6()) {
                setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, spec.ipv6only() ? 1 : 0,
                        "setsockopt(IPV6_V6ONLY) " + name);
            }
            if (spec.rcvbuf() != -1) {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, spec.rcvbuf(),
                        "setsockopt(SO_RCVBUF, " + spec.rcvbuf() + ") " + name);
            }
            if (spec.sndbuf() != -1) {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, spec.sndbuf(),
                        "setsockopt(SO_SNDBUF, " + spec.sndbuf() + ") " + name);
            }
            if (tcp) {
                keepalive(fd, spec.soKeepalive(), name);
                // inherited by every accepted connection, which the workers then need not set one by one
                setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, "setsockopt(TCP_NODELAY) " + name);
            }
            if (tcp && spec.fastopen() != -1) {
                setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_FASTOPEN, spec.fastopen(),
                        "setsockopt(TCP_FASTOPEN, " + spec.fastopen() + ") " + name);
            }
            if (address instanceof ListenAddress.Unix unix) {
                removeStaleSocket(unix.path());
            }
            Libc.bind(fd, SockAddr.of(arena, address), "bind() to " + name);
            if (address instanceof ListenAddress.Unix unix) {
                Libc.chmod(arena.allocateFrom(unix.path().toString()), 0666, "chmod() \"" + unix.path() + "\"");
            }
            Libc.listen(fd, spec.backlog(), "listen() to " + name + ", backlog " + spec.backlog());
            if (tcp && spec.deferred()) {
                setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_DEFER_ACCEPT, DEFER_ACCEPT_SECONDS,
                        "setsockopt(TCP_DEFER_ACCEPT, " + DEFER_ACCEPT_SECONDS + ") " + name);
            }
            return fd;
        } catch (OsException | RuntimeException e) {
            Fds.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Applies to a live listening socket the options of {@code next} that Linux lets change after bind and listen,
     * as nginx's {@code ngx_configure_listening_sockets} does on reload: the backlog (listen again), buffer sizes,
     * keepalive, TCP_FASTOPEN and TCP_DEFER_ACCEPT (a removed {@code fastopen} or {@code deferred} is switched off).
     * Returns the names of the options that differ but cannot change on a bound socket ({@code reuseport},
     * {@code ipv6only}, {@code bind}) or cannot be taken back ({@code rcvbuf}, {@code sndbuf}, {@code so_keepalive}
     * removed: the socket keeps its value), for the caller to warn about.
     */
    public static java.util.List<String> reconfigure(int fd, ListenSpec cur, ListenSpec next) throws OsException {
        String name = next.address().toString();
        boolean tcp = next.address() instanceof ListenAddress.Inet;
        java.util.List<String> kept = new java.util.ArrayList<>();
        if (cur.reuseport() != next.reuseport()) {
            kept.add("reuseport");
        }
        if (cur.ipv6only() != next.ipv6only()) {
            kept.add("ipv6only");
        }
        if (cur.bind() != next.bind() && next.address() instanceof ListenAddress.Inet inet && inet.isWildcard()) {
            kept.add("bind"); // on a specific address, bind changes nothing: the socket is bound to it either way
        }
        if (cur.backlog() != next.backlog()) {
            setBacklog(fd, next.backlog());
        }
        if (cur.rcvbuf() != next.rcvbuf()) {
            if (next.rcvbuf() == -1) {
                kept.add("rcvbuf");
            } else {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, next.rcvbuf(),
                        "setsockopt(SO_RCVBUF, " + next.rcvbuf() + ") " + name);
            }
        }
        if (cur.sndbuf() != next.sndbuf()) {
            if (next.sndbuf() == -1) {
                kept.add("sndbuf");
            } else {
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, next.sndbuf(),
                        "setsockopt(SO_SNDBUF, " + next.sndbuf() + ") " + name);
            }
        }
        if (tcp && !cur.soKeepalive().equals(next.soKeepalive())) {
            if (next.soKeepalive().mode() == SoKeepalive.Mode.DEFAULT) {
                kept.add("so_keepalive");
            } else {
                keepalive(fd, next.soKeepalive(), name);
            }
        }
        if (tcp && cur.fastopen() != next.fastopen()) {
            int qlen = Math.max(0, next.fastopen());
            setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_FASTOPEN, qlen, "setsockopt(TCP_FASTOPEN, " + qlen + ") " + name);
        }
        if (tcp && cur.deferred() != next.deferred()) {
            int secs = next.deferred() ? DEFER_ACCEPT_SECONDS : 0;
            setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_DEFER_ACCEPT, secs,
                    "setsockopt(TCP_DEFER_ACCEPT, " + secs + ") " + name);
        }
        return kept;
    }

    /** Changes the accept queue length of a listening socket (listen(2) again, as nginx does on reload). */
    public static void setBacklog(int fd, int backlog) throws OsException {
        Libc.listen(fd, backlog, "listen() fd " + fd + ", backlog " + backlog);
    }

    /** The local port of an IPv4/IPv6 socket (getsockname), or -1 for a Unix socket. */
    public static int localPort(int fd) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            Libc.getsockname(fd, sa, arena.allocate(Native.INT), "getsockname() fd " + fd);
            return SockAddr.port(sa);
        }
    }

    /** Whether the socket is in the listening state (SO_ACCEPTCONN). */
    public static boolean isListening(int fd) throws OsException {
        return getInt(fd, Libc.SOL_SOCKET, Libc.SO_ACCEPTCONN, "getsockopt(SO_ACCEPTCONN) fd " + fd) != 0;
    }

    static void setInt(int fd, int level, int option, int value, String what) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.setsockopt(fd, level, option, arena.allocateFrom(Native.INT, value), what);
        }
    }

    static int getInt(int fd, int level, int option, String what) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Native.INT);
            Libc.getsockopt(fd, level, option, value, arena.allocate(Native.INT), what);
            return value.get(Native.INT, 0);
        }
    }

    /** {@code so_keepalive}: on/off set SO_KEEPALIVE; zero timers keep the system's value (nginx's empty field). */
    private static void keepalive(int fd, SoKeepalive ka, String name) throws OsException {
        if (ka.mode() == SoKeepalive.Mode.DEFAULT) {
            return;
        }
        setInt(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, ka.mode() == SoKeepalive.Mode.ON ? 1 : 0,
                "setsockopt(SO_KEEPALIVE, " + (ka.mode() == SoKeepalive.Mode.ON ? 1 : 0) + ") " + name);
        if (ka.idleSeconds() != 0) {
            setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, ka.idleSeconds(),
                    "setsockopt(TCP_KEEPIDLE, " + ka.idleSeconds() + ") " + name);
        }
        if (ka.intervalSeconds() != 0) {
            setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPINTVL, ka.intervalSeconds(),
                    "setsockopt(TCP_KEEPINTVL, " + ka.intervalSeconds() + ") " + name);
        }
        if (ka.count() != 0) {
            setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, ka.count(),
                    "setsockopt(TCP_KEEPCNT, " + ka.count() + ") " + name);
        }
    }

    /**
     * Removes {@code path} if it is a socket file with no listener behind it (left by a process that died). Anything
     * else is left alone, so bind reports EADDRINUSE as nginx would.
     */
    static void removeStaleSocket(Path path) throws OsException {
        if (!isSocketFile(path)) {
            return;
        }
        int probe = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, "socket() unix:" + path);
        try (Arena arena = Arena.ofConfined()) {
            Libc.connect(probe, SockAddr.unix(arena, path), "connect() to unix:" + path);
            // Someone accepts on it: not stale; bind will fail with EADDRINUSE.
        } catch (OsException e) {
            if (e.errno() == Native.ECONNREFUSED) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // bind will report the real problem
                }
            }
        } finally {
            Fds.closeQuietly(probe);
        }
    }

    static boolean isSocketFile(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000; // S_IFMT == S_IFSOCK
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
