package dev.pier.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Unix domain stream sockets with descriptor passing (SCM_RIGHTS) and peer credentials (SO_PEERCRED): the transport
 * of the control protocol. Every descriptor created here, sent or received, is close-on-exec. Calls block.
 */
public final class UnixSockets {
    /** The kernel's limit of descriptors in one SCM_RIGHTS message (SCM_MAX_FD). */
    public static final int MAX_FDS_PER_MESSAGE = 253;

    private static final int CONTROL_BACKLOG = 64;

    /** What one recvmsg returned: {@code data.length == 0} means the peer closed its end (EOF). */
    public record Received(byte[] data, int[] fds) {
        public Received {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(fds, "fds");
        }

        public boolean isEof() {
            return data.length == 0;
        }
    }

    private UnixSockets() {
    }

    /**
     * Listens on {@code path}, creating the socket file with mode 0600 (fchmod before bind, which Linux applies to the
     * new file, so it is never reachable by others, then chmod to be exact). A stale socket file nobody accepts on is
     * removed first; a live one makes bind fail with EADDRINUSE.
     */
    public static int listen(Path path) throws OsException {
        String name = "unix:" + path;
        ListenSockets.removeStaleSocket(path);
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, "socket() " + name);
        try (Arena arena = Arena.ofConfined()) {
            Libc.fchmod(fd, 0600, "fchmod() " + name);
            Libc.bind(fd, SockAddr.unix(arena, path), "bind() to " + name);
            Libc.chmod(arena.allocateFrom(path.toString()), 0600, "chmod() \"" + path + "\"");
            Libc.listen(fd, CONTROL_BACKLOG, "listen() to " + name + ", backlog " + CONTROL_BACKLOG);
            return fd;
        } catch (OsException | RuntimeException e) {
            Fds.closeQuietly(fd);
            throw e;
        }
    }

    /** Waits for a connection (accept4 with SOCK_CLOEXEC). */
    public static int accept(int fd) throws OsException {
        return Libc.accept4(fd, Libc.SOCK_CLOEXEC, "accept4() fd " + fd);
    }

    /** Connects to the socket at {@code path}. */
    public static int connect(Path path) throws OsException {
        String name = "unix:" + path;
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, "socket() " + name);
        try (Arena arena = Arena.ofConfined()) {
            Libc.connect(fd, SockAddr.unix(arena, path), "connect() to " + name);
            return fd;
        } catch (OsException | RuntimeException e) {
            Fds.closeQuietly(fd);
            throw e;
        }
    }

    /** A connected pair (socketpair), e.g. for a parent and the child it is about to start, or for tests. */
    public static int[] socketPair() throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(Native.INT, 2);
            Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, pair, "socketpair()");
            return pair.toArray(Native.INT);
        }
    }

    /**
     * Sends all of {@code data}, with {@code fds} attached to the first byte (SCM_RIGHTS). A short write continues
     * without the descriptors, which the kernel has already queued with the first part. The sender keeps its own
     * copies of {@code fds}: the receiver gets duplicates. MSG_NOSIGNAL: a closed peer gives EPIPE, not SIGPIPE.
     */
    public static void sendmsg(int fd, byte[] data, int... fds) throws OsException {
        if (fds.length > 0 && data.length == 0) {
            throw new IllegalArgumentException("descriptors need at least one data byte to ride with");
        }
        if (fds.length > MAX_FDS_PER_MESSAGE) {
            throw new IllegalArgumentException("at most " + MAX_FDS_PER_MESSAGE + " descriptors per message");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, all, Native.BYTE, 0, data.length);
            long sent = 0;
            while (sent < data.length) {
                MemorySegment control = sent == 0 && fds.length > 0 ? Msg.rights(arena, fds) : MemorySegment.NULL;
                MemorySegment msg = Msg.header(arena, all.asSlice(sent, data.length - sent), control);
                sent += Libc.sendmsg(fd, msg, Libc.MSG_NOSIGNAL, "sendmsg() fd " + fd);
            }
        }
    }

    /**
     * One recvmsg of at most {@code maxBytes} bytes and {@code maxFds} descriptors, received close-on-exec
     * (MSG_CMSG_CLOEXEC). More descriptors than {@code maxFds} would be silently closed by the kernel (MSG_CTRUNC):
     * that is reported as an IOException after closing the ones that did arrive.
     */
    public static Received recvmsg(int fd, int maxBytes, int maxFds) throws IOException {
        if (maxBytes <= 0 || maxFds < 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + ", maxFds " + maxFds);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(maxBytes);
            MemorySegment control = maxFds == 0 ? MemorySegment.NULL
                    : arena.allocate(Msg.cmsgSpace(4L * maxFds), 8);
            MemorySegment msg = Msg.header(arena, buffer, control);
            long n = Libc.recvmsg(fd, msg, Libc.MSG_CMSG_CLOEXEC, "recvmsg() fd " + fd);
            int[] fds = maxFds == 0 ? new int[0] : Msg.receivedFds(control, Msg.controlLength(msg));
            // the control buffer is 8-byte aligned, so room for an odd maxFds holds one more: refuse that one too
            if ((Msg.flags(msg) & Libc.MSG_CTRUNC) != 0 || fds.length > maxFds) {
                Fds.closeQuietly(fds);
                throw new IOException("recvmsg() fd " + fd + ": descriptors truncated (more than " + maxFds + " sent)");
            }
            return new Received(buffer.asSlice(0, n).toArray(Native.BYTE), fds);
        }
    }

    /** The credentials of the connected peer (SO_PEERCRED). */
    public static PeerCred peerCred(int fd) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ucred = arena.allocate(12, 4);
            Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, ucred, arena.allocate(Native.INT),
                    "getsockopt(SO_PEERCRED) fd " + fd);
            return new PeerCred(ucred.get(Native.INT, 0), ucred.get(Native.INT, 4), ucred.get(Native.INT, 8));
        }
    }

    /**
     * Wakes any thread blocked on {@code fd} (shutdown makes its accept/recvmsg fail) and closes it. Only for Pier's
     * own control sockets: never for shared listening sockets (DESIGN.md rule 4).
     */
    public static void shutdownAndClose(int fd) {
        try {
            shutdown(fd);
        } catch (OsException ignored) {
            // not connected or already shut down: nothing to wake
        }
        Fds.closeQuietly(fd);
    }

    /**
     * shutdown(SHUT_RDWR): wakes a thread blocked in accept or recvmsg on this socket and ends the connection for
     * every holder of the file description. Only for sockets Pier owns alone (control connections and the control
     * listener), never for HTTP listeners shared with workers (DESIGN Rule 4).
     */
    public static void shutdown(int fd) throws OsException {
        Libc.shutdown(fd, Libc.SHUT_RDWR, "shutdown() fd " + fd);
    }

    /**
     * SO_RCVTIMEO: a blocking receive (or accept) that waits longer fails with errno EAGAIN (11); 0 waits forever.
     */
    public static void setReceiveTimeout(int fd, long millis) throws OsException {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout " + millis);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(16, 8);
            timeval.set(Native.LONG, 0, millis / 1000);
            timeval.set(Native.LONG, 8, (millis % 1000) * 1000);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, "setsockopt(SO_RCVTIMEO) fd " + fd);
        }
    }
}
