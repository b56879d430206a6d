package dev.pier.os;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Links libc functions and calls them with errno captured. A call that returns a negative value becomes an
 * {@link OsException} worded {@code WHAT failed (ERRNO: TEXT)}, where WHAT is supplied by the caller in nginx's words.
 */
final class Native {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final AddressLayout PTR = ValueLayout.ADDRESS;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOENT = 2;
    static final int ECONNREFUSED = 111;

    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Native() {
    }

    /** A handle whose first argument is the capture-state segment errno is written into. */
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** The layout of the segment an {@link #errnoCall} handle writes errno into. */
    static StructLayout callState() {
        return CALL_STATE;
    }

    /** The errno an {@link #errnoCall} handle wrote into {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Writes {@code errno} into {@code state}, for a failure found before any call (e.g. a name too long). */
    static void errno(MemorySegment state, int errno) {
        ERRNO.set(state, 0L, errno);
    }

    /** A handle for a function that reports errors through its return value, not errno. */
    static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /**
     * Calls {@code handle} (from {@link #errnoCall}) with {@code args}; a negative result throws
     * {@code what failed (errno: text)}. Returns the result widened to long.
     */
    static long call(MethodHandle handle, String what, Object... args) throws OsException {
        return call(handle, true, what, args);
    }

    /** As {@link #call} but an EINTR is reported, not retried (for close). */
    static long callOnce(MethodHandle handle, String what, Object... args) throws OsException {
        return call(handle, false, what, args);
    }

    private static long call(MethodHandle handle, boolean retry, String what, Object... args) throws OsException {
        while (true) {
            long r;
            int errno;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                Object[] full = new Object[args.length + 1];
                full[0] = state;
                System.arraycopy(args, 0, full, 1, args.length);
                r = ((Number) invoke(handle, full)).longValue();
                errno = errno(state);
            }
            if (r >= 0) {
                return r;
            }
            if (errno != EINTR || !retry) {
                throw new OsException(what, errno);
            }
            // EINTR: a signal arrived mid-call (the JVM uses several); the call is simply repeated.
        }
    }

    /** Calls a handle from {@link #plainCall}. */
    static Object invoke(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static FunctionDescriptor ints(int count) {
        MemoryLayout[] args = new MemoryLayout[count];
        java.util.Arrays.fill(args, INT);
        return FunctionDescriptor.of(INT, args);
    }
}
