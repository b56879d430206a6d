package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code struct msghdr}, {@code struct iovec} and {@code struct cmsghdr} on Linux x86_64, for sendmsg/recvmsg with
 * SCM_RIGHTS. msghdr: name@0, namelen@8, iov@16, iovlen@24, control@32, controllen@40, flags@48, size 56.
 * cmsghdr: len(size_t)@0, level@8, type@12, data@16; lengths are aligned to 8.
 */
final class Msg {
    static final int MSGHDR_SIZE = 56;
    static final int IOVEC_SIZE = 16;
    static final int CMSG_HEADER = 16;

    private Msg() {
    }

    static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** CMSG_SPACE(n): room for a control message carrying n data bytes. */
    static long cmsgSpace(long dataBytes) {
        return CMSG_HEADER + align(dataBytes);
    }

    /** A msghdr with one iovec over {@code data} and {@code control} (may be NULL with length 0). */
    static MemorySegment header(Arena arena, MemorySegment data, MemorySegment control) {
        MemorySegment iov = arena.allocate(IOVEC_SIZE, 8);
        iov.set(Native.PTR, 0, data);
        iov.set(Native.LONG, 8, data.byteSize());
        MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
        msg.set(Native.PTR, 16, iov);
        msg.set(Native.LONG, 24, 1L);
        msg.set(Native.PTR, 32, control);
        msg.set(Native.LONG, 40, control.byteSize());
        return msg;
    }

    /** A control buffer holding one SCM_RIGHTS message with {@code fds}. */
    static MemorySegment rights(Arena arena, int[] fds) {
        long dataBytes = 4L * fds.length;
        MemorySegment control = arena.allocate(cmsgSpace(dataBytes), 8);
        control.set(Native.LONG, 0, CMSG_HEADER + dataBytes); // CMSG_LEN
        control.set(Native.INT, 8, Libc.SOL_SOCKET);
        control.set(Native.INT, 12, Libc.SCM_RIGHTS);
        MemorySegment.copy(fds, 0, control, Native.INT, CMSG_HEADER, fds.length);
        return control;
    }

    static long controlLength(MemorySegment msg) {
        return msg.get(Native.LONG, 40);
    }

    static int flags(MemorySegment msg) {
        return msg.get(Native.INT, 48);
    }

    /** Every descriptor in the SCM_RIGHTS messages of the first {@code length} bytes of {@code control}. */
    static int[] receivedFds(MemorySegment control, long length) {
        int[] fds = new int[0];
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLen = control.get(Native.LONG, offset);
            if (cmsgLen < CMSG_HEADER || offset + cmsgLen > length) {
                break;
            }
            if (control.get(Native.INT, offset + 8) == Libc.SOL_SOCKET
                    && control.get(Native.INT, offset + 12) == Libc.SCM_RIGHTS) {
                int count = (int) ((cmsgLen - CMSG_HEADER) / 4);
                int[] more = new int[fds.length + count];
                System.arraycopy(fds, 0, more, 0, fds.length);
                MemorySegment.copy(control, Native.INT, offset + CMSG_HEADER, more, fds.length, count);
                fds = more;
            }
            offset += align(cmsgLen);
        }
        return fds;
    }
}
