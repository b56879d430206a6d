package dev.pier.os;

import static dev.pier.os.Native.INT;
import static dev.pier.os.Native.LONG;
import static dev.pier.os.Native.PTR;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls Pier makes, one static method each. A negative result throws {@link OsException} built from
 * {@code what}; EINTR is retried. Each group of handles sits in its own holder class so a process links only what it
 * uses (the master never links recvmsg's handles until it reads a control frame, and so on).
 */
final class Libc {
    // Linux x86_64 constants (<sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>, <fcntl.h>).
    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    static final int SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1, IPPROTO_TCP = 6, IPPROTO_IPV6 = 41;
    static final int SO_REUSEADDR = 2, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_REUSEPORT = 15,
            SO_PEERCRED = 17, SO_RCVTIMEO = 20, SO_ACCEPTCONN = 30, SO_ATTACH_REUSEPORT_CBPF = 51;
    static final int TCP_NODELAY = 1, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6, TCP_DEFER_ACCEPT = 9,
            TCP_INFO = 11, TCP_FASTOPEN = 23;
    static final int IPV6_V6ONLY = 26;
    static final int SCM_RIGHTS = 1;
    static final int MSG_CTRUNC = 0x8, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    static final int F_GETFD = 1, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, O_NONBLOCK = 0x800;
    static final int SHUT_RDWR = 2;

    private Libc() {
    }

    private static final class Sockets {
        static final MethodHandle SOCKET = Native.errnoCall("socket", Native.ints(3));
        static final MethodHandle SETSOCKOPT = Native.errnoCall("setsockopt",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
        static final MethodHandle GETSOCKOPT = Native.errnoCall("getsockopt",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
        static final MethodHandle BIND = Native.errnoCall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
        static final MethodHandle LISTEN = Native.errnoCall("listen", Native.ints(2));
        static final MethodHandle GETSOCKNAME = Native.errnoCall("getsockname",
                FunctionDescriptor.of(INT, INT, PTR, PTR));
    }

    private static final class Unix {
        static final MethodHandle CONNECT = Native.errnoCall("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
        static final MethodHandle ACCEPT4 = Native.errnoCall("accept4",
                FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
        static final MethodHandle SOCKETPAIR = Native.errnoCall("socketpair",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR));
        static final MethodHandle SENDMSG = Native.errnoCall("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
        static final MethodHandle RECVMSG = Native.errnoCall("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
        static final MethodHandle SHUTDOWN = Native.errnoCall("shutdown", Native.ints(2));
    }

    private static final class Files {
        static final MethodHandle CLOSE = Native.errnoCall("close", Native.ints(1));
        static final MethodHandle FCNTL = Native.LINKER.downcallHandle(
                Native.LINKER.defaultLookup().find("fcntl").orElseThrow(),
                Native.ints(3), Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
        static final MethodHandle FCHMOD = Native.errnoCall("fchmod", Native.ints(2));
        static final MethodHandle CHMOD = Native.errnoCall("chmod", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle READ = Native.errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
        static final MethodHandle WRITE = Native.errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    }

    static int socket(int domain, int type, String what) throws OsException {
        return socket(domain, type, 0, what);
    }

    static int socket(int domain, int type, int protocol, String what) throws OsException {
        return (int) Native.call(Sockets.SOCKET, what, domain, type, protocol);
    }

    static void setsockopt(int fd, int level, int name, MemorySegment value, String what) throws OsException {
        Native.call(Sockets.SETSOCKOPT, what, fd, level, name, value, (int) value.byteSize());
    }

    /** Reads an option into {@code value}; returns the length the kernel wrote. */
    static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment len, String what)
            throws OsException {
        len.set(INT, 0, (int) value.byteSize());
        Native.call(Sockets.GETSOCKOPT, what, fd, level, name, value, len);
        return len.get(INT, 0);
    }

    static void bind(int fd, MemorySegment addr, String what) throws OsException {
        Native.call(Sockets.BIND, what, fd, addr, (int) addr.byteSize());
    }

    static void listen(int fd, int backlog, String what) throws OsException {
        Native.call(Sockets.LISTEN, what, fd, backlog);
    }

    static void getsockname(int fd, MemorySegment addr, MemorySegment len, String what) throws OsException {
        len.set(INT, 0, (int) addr.byteSize());
        Native.call(Sockets.GETSOCKNAME, what, fd, addr, len);
    }

    static void connect(int fd, MemorySegment addr, String what) throws OsException {
        Native.call(Unix.CONNECT, what, fd, addr, (int) addr.byteSize());
    }

    static int accept4(int fd, int flags, String what) throws OsException {
        return (int) Native.call(Unix.ACCEPT4, what, fd, MemorySegment.NULL, MemorySegment.NULL, flags);
    }

    static void socketpair(int domain, int type, MemorySegment fds, String what) throws OsException {
        Native.call(Unix.SOCKETPAIR, what, domain, type, 0, fds);
    }

    static long sendmsg(int fd, MemorySegment msghdr, int flags, String what) throws OsException {
        return Native.call(Unix.SENDMSG, what, fd, msghdr, flags);
    }

    static long recvmsg(int fd, MemorySegment msghdr, int flags, String what) throws OsException {
        return Native.call(Unix.RECVMSG, what, fd, msghdr, flags);
    }

    static void shutdown(int fd, int how, String what) throws OsException {
        Native.call(Unix.SHUTDOWN, what, fd, how);
    }

    static long read(int fd, MemorySegment buf, String what) throws OsException {
        return Native.call(Files.READ, what, fd, buf, buf.byteSize());
    }

    static long write(int fd, MemorySegment buf, String what) throws OsException {
        return Native.call(Files.WRITE, what, fd, buf, buf.byteSize());
    }

    /**
     * close(2) is never retried: on Linux the descriptor is released even when close reports EINTR, and a retry could
     * close a descriptor another thread has just been given.
     */
    static void close(int fd) throws OsException {
        try {
            Native.callOnce(Files.CLOSE, "close() " + fd, fd);
        } catch (OsException e) {
            if (e.errno() != Native.EINTR) {
                throw e;
            }
        }
    }

    static int fcntl(int fd, int cmd, int arg, String what) throws OsException {
        return (int) Native.call(Files.FCNTL, what, fd, cmd, arg);
    }

    /** ioctl(fd, request, int* out): the int-result requests such as FIONREAD. */
    static void fchmod(int fd, int mode, String what) throws OsException {
        Native.call(Files.FCHMOD, what, fd, mode);
    }

    static void chmod(MemorySegment path, int mode, String what) throws OsException {
        Native.call(Files.CHMOD, what, path, mode);
    }
}
