package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * How many bytes wait unread in a connected socket's receive queue (ioctl FIONREAD). Asked once per closed
 * connection (nginx's lingering-close decision), so the call is an exact invocation of a plain (critical) handle into
 * a per-thread result slot: no argument arrays, no arena, no message string.
 */
public final class SocketQueues {
    private static final long FIONREAD = 0x541B;
    private static final MethodHandle IOCTL = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(Native.INT, Native.INT, Native.LONG, Native.PTR), Linker.Option.firstVariadicArg(2),
            // a non-blocking syscall of well under a microsecond that calls nothing back: the thread stays in Java
            // state around it (no transition to native and back)
            Linker.Option.critical(false));
    private static final ThreadLocal<MemorySegment> SLOT =
            ThreadLocal.withInitial(() -> Arena.global().allocate(Native.INT));

    private SocketQueues() {
    }

    /** Bytes the peer sent that nobody has read yet; 0 when the fd is not a readable socket. */
    public static int unread(int fd) {
        MemorySegment n = SLOT.get();
        int r;
        try {
            r = (int) IOCTL.invokeExact(fd, FIONREAD, n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r < 0 ? 0 : n.get(Native.INT, 0);
    }
}
