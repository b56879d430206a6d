package dev.pier.os;

/** Plain descriptor operations the JDK has no API for, since it never exposes a raw fd. */
public final class Fds {
    private Fds() {
    }

    /** close(2). Never retried on EINTR: Linux has released the descriptor even then. */
    public static void close(int fd) throws OsException {
        Libc.close(fd);
    }

    /** Closes, ignoring errors (cleanup paths that already have an error to report). */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            Libc.close(fd);
        } catch (OsException ignored) {
            // nothing better to do: the caller is already failing
        }
    }

    /** Closes each descriptor quietly. */
    public static void closeQuietly(int[] fds) {
        for (int fd : fds) {
            closeQuietly(fd);
        }
    }

    /**
     * A duplicate sharing the same open file description (so the same socket, queue and options), close-on-exec
     * (fcntl F_DUPFD_CLOEXEC).
     */
    public static int dup(int fd) throws OsException {
        return Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0, "fcntl(F_DUPFD_CLOEXEC) fd " + fd);
    }

    /**
     * Sets O_NONBLOCK on {@code fd}'s open file description (so for every process holding a duplicate of it). A
     * listening socket that several processes watch must be non-blocking: all of them wake for one connection, one
     * takes it, and a blocking accept() in the others would stall their event loops until the next connection.
     */
    public static void setNonBlocking(int fd) throws OsException {
        nonBlocking(fd, true);
    }

    /** Sets or clears O_NONBLOCK on {@code fd}'s open file description. */
    public static void nonBlocking(int fd, boolean on) throws OsException {
        int flags = Libc.fcntl(fd, Libc.F_GETFL, 0, "fcntl(F_GETFL) fd " + fd);
        int wanted = on ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
        if (wanted != flags) {
            Libc.fcntl(fd, Libc.F_SETFL, wanted, "fcntl(F_SETFL) fd " + fd);
        }
    }

    /** Whether O_NONBLOCK is set on {@code fd}'s open file description. */
    public static boolean isNonBlocking(int fd) throws OsException {
        return (Libc.fcntl(fd, Libc.F_GETFL, 0, "fcntl(F_GETFL) fd " + fd) & Libc.O_NONBLOCK) != 0;
    }

    /** Whether {@code fd} is an open descriptor in this process (fcntl F_GETFD succeeds). */
    public static boolean isOpen(int fd) {
        try {
            Libc.fcntl(fd, Libc.F_GETFD, 0, "fcntl(F_GETFD)");
            return true;
        } catch (OsException e) {
            return false;
        }
    }
}
