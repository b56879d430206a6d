package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * How many established connections wait in a TCP listener's accept queue: for a socket in LISTEN state the kernel
 * reports {@code sk_ack_backlog} as {@code tcpi_unacked} of TCP_INFO (half-open handshakes are not counted). The
 * master asks it of every reuseport socket ten times a second ({@code dev.pier.master.StallWatch}) and a draining
 * worker of its own sockets every 10 ms, so the call is an exact invocation into per-thread buffers: no argument
 * arrays, no arena, no message string unless it fails.
 */
public final class AcceptQueues {
    /** Size of {@code struct tcp_info} read, enough to reach {@code tcpi_unacked} (offset 24). */
    private static final int TCP_INFO_PREFIX = 32;
    private static final long TCPI_UNACKED_OFFSET = 24;
    private static final int EOPNOTSUPP = 95;
    private static final MethodHandle GETSOCKOPT = Native.errnoCall("getsockopt",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.PTR, Native.PTR));

    /** One thread's call state (errno), TCP_INFO prefix and length word. */
    private record Buffers(MemorySegment state, MemorySegment info, MemorySegment len) {
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new Buffers(arena.allocate(Native.callState()), arena.allocate(TCP_INFO_PREFIX, 8),
                arena.allocate(Native.INT));
    });

    private AcceptQueues() {
    }

    /** The connections waiting to be accepted on {@code fd}; 0 for a Unix socket. */
    public static int length(int fd) throws OsException {
        Buffers b = BUFFERS.get();
        b.len().set(Native.INT, 0, TCP_INFO_PREFIX);
        int r;
        try {
            r = (int) GETSOCKOPT.invokeExact(b.state(), fd, Libc.IPPROTO_TCP, Libc.TCP_INFO, b.info(), b.len());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r == 0) {
            return b.info().get(Native.INT, TCPI_UNACKED_OFFSET);
        }
        int errno = Native.errno(b.state());
        if (errno == EOPNOTSUPP) { // not a TCP socket
            return 0;
        }
        throw new OsException("getsockopt(TCP_INFO) fd " + fd, errno);
    }
}
