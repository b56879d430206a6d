package dev.pier.os;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A failed system call, worded as nginx words it in the error log:
 * {@code bind() to 127.0.0.1:8080 failed (98: Address already in use)}.
 */
public final class OsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param what  the call and its target in nginx's words, e.g. {@code bind() to 127.0.0.1:8080} or
     *              {@code setsockopt(SO_REUSEPORT) 127.0.0.1:8080}
     * @param errno the error number the call left
     */
    public OsException(String what, int errno) {
        super(what + " failed (" + errno + ": " + strerror(errno) + ")");
        this.errno = errno;
    }

    /** The errno value, e.g. 98 for EADDRINUSE. */
    public int errno() {
        return errno;
    }

    /** The C library's text for an error number ({@code strerror}), e.g. "Address already in use" for 98. */
    public static String strerror(int errno) {
        // glibc >= 2.32 makes strerror thread-safe (unknown numbers use a thread-local buffer).
        MemorySegment text = (MemorySegment) Native.invoke(Strerror.HANDLE, errno);
        return text.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static final class Strerror {
        static final MethodHandle HANDLE =
                Native.plainCall("strerror", FunctionDescriptor.of(Native.PTR, Native.INT));
    }
}
