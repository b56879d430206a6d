package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Set;

/**
 * A {@code signalfd(2)}: signals read as data by one thread instead of handlers. It only sees signals that are blocked
 * in every thread (otherwise the kernel delivers them to a thread that has them unblocked), which a JVM can only
 * arrange from outside: Pier's launcher starts the master under {@code env --block-signal=...} with {@code -Xrs}, and
 * every thread the JVM creates inherits the mask. {@link #isBlocked} checks that this route is in place before the
 * master relies on it; otherwise it falls back to {@code sun.misc.Signal}.
 *
 * <p>Layouts (Linux x86_64): glibc's {@code sigset_t} is 128 bytes, signal n is bit n-1 of an array of 64-bit words;
 * {@code struct signalfd_siginfo} is 128 bytes with {@code ssi_signo} (u32) first.
 */
public final class SignalFd implements AutoCloseable {
    private static final int SIGSET_SIZE = 128;
    private static final int SIGINFO_SIZE = 128;
    private static final int SIG_BLOCK = 0;
    private static final int SFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 1;

    private final int fd;

    private SignalFd(int fd) {
        this.fd = fd;
    }

    private static final class Handles {
        // returns an error number instead of setting errno
        static final MethodHandle PTHREAD_SIGMASK = Native.plainCall("pthread_sigmask",
                FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR, Native.PTR));
        static final MethodHandle SIGNALFD = Native.errnoCall("signalfd",
                FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR, Native.INT));
        static final MethodHandle POLL = Native.errnoCall("poll",
                FunctionDescriptor.of(Native.INT, Native.PTR, Native.LONG, Native.INT));
    }

    /** Whether {@code signal} is blocked in the calling thread's signal mask. */
    public static boolean isBlocked(Signal signal) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGSET_SIZE, 8);
            int err = (int) Native.invoke(Handles.PTHREAD_SIGMASK, SIG_BLOCK, MemorySegment.NULL, old);
            if (err != 0) {
                throw new OsException("pthread_sigmask()", err);
            }
            int bit = signal.number() - 1;
            return (old.get(Native.LONG, 8L * (bit / 64)) & (1L << (bit % 64))) != 0;
        }
    }

    /** Opens a close-on-exec signalfd for {@code signals}; it reads only those that are blocked (see above). */
    public static SignalFd open(Set<Signal> signals) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIGSET_SIZE, 8);
            for (Signal s : signals) {
                int bit = s.number() - 1;
                long word = 8L * (bit / 64);
                mask.set(Native.LONG, word, mask.get(Native.LONG, word) | (1L << (bit % 64)));
            }
            return new SignalFd((int) Native.call(Handles.SIGNALFD, "signalfd()", -1, mask, SFD_CLOEXEC));
        }
    }

    /** The descriptor, e.g. to poll it together with others. */
    public int fd() {
        return fd;
    }

    /** Blocks until one of the signals is pending and dequeues it. */
    public Signal read() throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            Libc.read(fd, info, "read() signalfd");
            return Signal.of(info.get(Native.INT, 0));
        }
    }

    /** Waits at most {@code millis} for a signal; null when none arrived (poll(2), then {@link #read}). */
    public Signal poll(long millis) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(Native.INT, 0, fd);
            pollfd.set(Native.SHORT, 4, POLLIN);
            int ready = (int) Native.call(Handles.POLL, "poll() signalfd", pollfd, 1L,
                    (int) Math.min(Integer.MAX_VALUE, millis));
            return ready == 0 ? null : read();
        }
    }

    @Override
    public void close() throws OsException {
        Fds.close(fd);
    }
}
