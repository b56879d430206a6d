package dev.pier.ipc;

import dev.pier.os.Fds;
import dev.pier.os.OsException;
import dev.pier.os.PeerCred;
import dev.pier.os.Posix;
import dev.pier.os.UnixSockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The master's control socket (DESIGN Rule 8): a Unix stream socket created with mode 0600, whose peers are checked by
 * uid (SO_PEERCRED, recorded by the kernel at connect time) before anything they say is obeyed or any socket is handed
 * to them. Trusted uids are the master's effective uid and root (root can signal or ptrace the master anyway).
 */
public final class ControlServer implements AutoCloseable {

    /** An accepted connection and who made it. */
    public record Accepted(ControlChannel channel, PeerCred peer) {
        public Accepted {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** A peer of another uid connected; its connection has been closed. */
    public static final class RefusedPeerException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient PeerCred peer;

        RefusedPeerException(PeerCred peer, int euid) {
            super("control connection from pid " + peer.pid() + " uid " + peer.uid() + " refused (master euid "
                    + euid + ")");
            this.peer = peer;
        }

        public PeerCred peer() {
            return peer;
        }
    }

    private volatile Path path;
    private final int fd;
    private final int euid = Posix.geteuid();
    private volatile boolean closed;

    private ControlServer(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Listens on {@code path} (mode 0600; a stale socket file is replaced, a live one fails with EADDRINUSE). */
    public static ControlServer listen(Path path) throws OsException {
        return new ControlServer(path, UnixSockets.listen(path));
    }

    public Path path() {
        return path;
    }

    /**
     * Renames the socket file (binary upgrade: the old master moves aside to {@code pier.sock.oldbin} so the new one can
     * take the usual name). The listening socket is bound to the file's inode, so clients that connect through the new
     * name still reach it; {@link #close()} then removes the file under its new name.
     */
    public synchronized void moveTo(Path target) throws IOException {
        Files.move(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        path = target;
    }

    /** Waits for the next connection, whoever made it. */
    public Accepted accept() throws IOException {
        int conn = UnixSockets.accept(fd);
        try {
            return new Accepted(new ControlChannel(conn), UnixSockets.peerCred(conn));
        } catch (OsException | RuntimeException e) {
            Fds.closeQuietly(conn);
            throw e;
        }
    }

    /**
     * Waits for the next connection and keeps it only if the peer's uid is trusted; otherwise closes it and throws
     * {@link RefusedPeerException} (the caller logs it and accepts again).
     */
    public Accepted acceptTrusted() throws IOException {
        Accepted a = accept();
        if (!isTrusted(a.peer())) {
            a.channel().close();
            throw new RefusedPeerException(a.peer(), euid);
        }
        return a;
    }

    /** Whether {@code peer} may control this master: same effective uid, or root. */
    public boolean isTrusted(PeerCred peer) {
        return peer.uid() == euid || peer.uid() == 0;
    }

    /**
     * Stops listening and removes the socket file. A thread blocked in accept is woken (shutdown makes accept fail)
     * before the descriptor is closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        UnixSockets.shutdownAndClose(fd);
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next listen() replaces a stale file anyway
        }
    }
}
