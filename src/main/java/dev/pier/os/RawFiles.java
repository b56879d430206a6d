package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A static file's system calls as nginx makes them: {@code open(O_RDONLY|O_NONBLOCK)} then {@code fstat} on the
 * descriptor (one path walk, where the JDK's stat-then-open walks the path twice), {@code pread}, {@code sendfile}
 * and {@code close}.
 * Each is an exact call of its handle with per-thread scratch memory (the path's bytes, the stat buffer, errno), so a
 * request allocates nothing here. Only names of ASCII characters come here (the caller keeps the JDK for the rest, so
 * both agree on how a name becomes bytes).
 */
public final class RawFiles {
    private static final int O_RDONLY = 0, O_NONBLOCK = 0x800, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;
    private static final int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;
    /** PATH_MAX, with its terminating NUL. */
    private static final int PATH_MAX = 4096;
    private static final int ENAMETOOLONG = 36;
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    // struct stat on Linux x86_64 (144 bytes)
    private static final long ST_DEV = 0, ST_INO = 8, ST_MODE = 24, ST_SIZE = 48, ST_MTIM = 88;
    private static final int STAT_SIZE = 144;

    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(Native.INT, Native.PTR, Native.INT), true, false);
    private static final MethodHandle FSTAT = handle("fstat",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR), false, true);
    private static final MethodHandle FSTATAT = handle("fstatat",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR, Native.PTR, Native.INT), false, false);
    private static final MethodHandle PREAD = handle("pread",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.PTR, Native.LONG, Native.LONG), false, true);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(Native.INT, Native.INT),
            false, true);
    private static final MethodHandle SENDFILE = handle("sendfile",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.INT, Native.PTR, Native.LONG), false, true);

    /** One thread's scratch memory: errno, the path, the stat buffer, sendfile's offset. */
    private record Scratch(MemorySegment state, MemorySegment path, MemorySegment stat, MemorySegment offset) {
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(
            Arena.global().allocate(Native.callState()), Arena.global().allocate(PATH_MAX),
            Arena.global().allocate(STAT_SIZE, 8), Arena.global().allocate(8, 8)));

    private RawFiles() {
    }

    /**
     * {@code critical}: the call does not leave the Java thread state (no transition to native and back, with its
     * safepoint check, around a call of a microsecond or less), for calls on a descriptor already open:
     * {@code fstat}, {@code close} of a read-only file, and {@code pread} and {@code sendfile}, which copy from the
     * page cache. They run on the event loop: while one waits on a slow disk the loop is stopped either way, and what
     * a critical call adds is that a safepoint another thread asks for (a collection it set off) waits for it too.
     * {@code open} and {@code fstatat} walk a path, which can wait on directories not in memory, and stay ordinary
     * calls.
     */
    private static MethodHandle handle(String name, FunctionDescriptor d, boolean variadic, boolean critical) {
        MemorySegment symbol = Native.LINKER.defaultLookup().find(name).orElseThrow();
        java.util.List<Linker.Option> options = new java.util.ArrayList<>();
        options.add(Linker.Option.captureCallState("errno"));
        if (variadic) {
            options.add(Linker.Option.firstVariadicArg(2));
        }
        if (critical) {
            options.add(Linker.Option.critical(false));
        }
        return Native.LINKER.downcallHandle(symbol, d, options.toArray(Linker.Option[]::new));
    }

    /** What {@code fstat} says of an open file, or {@code stat} of a name. */
    public record Stat(int mode, long size, long mtimeMillis, long device, long inode) {
        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        /** Only from {@link #tryStat} with {@code noFollow}. */
        public boolean isSymbolicLink() {
            return (mode & S_IFMT) == S_IFLNK;
        }
    }

    /**
     * Opens {@code asciiPath} read-only and non-blocking (a FIFO does not hang the event loop), close-on-exec;
     * {@code noFollow} refuses a final component that is a symbolic link (ELOOP). Fails with the errno.
     */
    public static int open(String asciiPath, boolean noFollow) throws OsException {
        int fd = tryOpen(asciiPath, noFollow);
        if (fd < 0) {
            throw new OsException("open()", -fd);
        }
        return fd;
    }

    /**
     * {@link #open}, failing without an exception: the descriptor, or the errno negated. A name that is not there
     * is an everyday answer on a server (a 404, a {@code try_files} candidate), not worth a stack trace.
     */
    public static int tryOpen(String asciiPath, boolean noFollow) {
        Scratch s = SCRATCH.get();
        if (!name(s, asciiPath)) {
            return -ENAMETOOLONG;
        }
        int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (noFollow ? O_NOFOLLOW : 0);
        while (true) {
            int fd;
            try {
                fd = (int) OPEN.invokeExact(s.state, s.path, flags);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.errno(s.state);
            if (errno != Native.EINTR) {
                return -errno;
            }
        }
    }

    /** The path's bytes and a terminating NUL in the thread's scratch memory; false past PATH_MAX. */
    private static boolean name(Scratch s, String asciiPath) {
        int n = asciiPath.length();
        if (n >= PATH_MAX) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            s.path.set(ValueLayout.JAVA_BYTE, i, (byte) asciiPath.charAt(i));
        }
        s.path.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        return true;
    }

    /**
     * {@code stat} of {@code asciiPath} ({@code lstat} with {@code noFollow}: a final component that is a symbolic
     * link is described, not followed), for a name looked up without being opened. Fails without an exception: null,
     * and {@link #lastErrno()} says why.
     */
    public static Stat tryStat(String asciiPath, boolean noFollow) {
        Scratch s = SCRATCH.get();
        if (!name(s, asciiPath)) {
            Native.errno(s.state, ENAMETOOLONG);
            return null;
        }
        int flags = noFollow ? AT_SYMLINK_NOFOLLOW : 0;
        while (true) {
            int r;
            try {
                r = (int) FSTATAT.invokeExact(s.state, AT_FDCWD, s.path, s.stat, flags);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (r == 0) {
                return described(s.stat);
            }
            if (Native.errno(s.state) != Native.EINTR) {
                return null;
            }
        }
    }

    /** The errno of this thread's last call here that failed without an exception ({@link #tryStat}). */
    public static int lastErrno() {
        return Native.errno(SCRATCH.get().state);
    }

    public static Stat fstat(int fd) throws OsException {
        Scratch s = SCRATCH.get();
        int r;
        try {
            r = (int) FSTAT.invokeExact(s.state, fd, s.stat);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r < 0) {
            throw new OsException("fstat()", Native.errno(s.state));
        }
        return described(s.stat);
    }

    private static Stat described(MemorySegment st) {
        long mtimeMillis = st.get(ValueLayout.JAVA_LONG, ST_MTIM) * 1000
                + st.get(ValueLayout.JAVA_LONG, ST_MTIM + 8) / 1_000_000;
        return new Stat(st.get(ValueLayout.JAVA_INT, ST_MODE), st.get(ValueLayout.JAVA_LONG, ST_SIZE), mtimeMillis,
                st.get(ValueLayout.JAVA_LONG, ST_DEV), st.get(ValueLayout.JAVA_LONG, ST_INO));
    }

    /** Reads up to {@code length} bytes at {@code offset} into native memory at {@code address}; 0 at the end. */
    public static int pread(int fd, long address, int length, long offset) throws OsException {
        Scratch s = SCRATCH.get();
        while (true) {
            long r;
            try {
                r = (long) PREAD.invokeExact(s.state, fd, MemorySegment.ofAddress(address), (long) length, offset);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (r >= 0) {
                return (int) r;
            }
            int errno = Native.errno(s.state);
            if (errno != Native.EINTR) {
                throw new OsException("pread()", errno);
            }
        }
    }

    /**
     * {@code sendfile(2)}: up to {@code count} bytes of file {@code in} from {@code offset} to socket {@code out}
     * (non-blocking). Returns the bytes sent, 0 when the socket's buffer is full (EAGAIN), -1 when the file ends
     * before {@code offset}; any other error is thrown.
     */
    public static long sendfile(int out, int in, long offset, long count) throws OsException {
        Scratch s = SCRATCH.get();
        while (true) {
            s.offset.set(ValueLayout.JAVA_LONG, 0, offset);
            long r;
            try {
                r = (long) SENDFILE.invokeExact(s.state, out, in, s.offset, count);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (r > 0) {
                return r;
            }
            if (r == 0) {
                return -1;
            }
            int errno = Native.errno(s.state);
            if (errno == Native.EAGAIN) {
                return 0;
            }
            if (errno != Native.EINTR) {
                throw new OsException("sendfile()", errno);
            }
        }
    }

    /** Closes {@code fd}; an error (the descriptor was read-only) is ignored, as nginx only logs it. */
    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(SCRATCH.get().state, fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
