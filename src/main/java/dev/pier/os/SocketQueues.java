package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** How many bytes wait unread in a connected socket's receive queue (ioctl FIONREAD). */
public final class SocketQueues {
    private static final long FIONREAD = 0x541B;

    private SocketQueues() {
    }

    /** Bytes the peer sent that nobody has read yet; 0 when the fd is not a readable socket. */
    public static int unread(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(Native.INT);
            Libc.ioctlInt(fd, FIONREAD, n, "ioctl(FIONREAD) fd " + fd);
            return n.get(Native.INT, 0);
        } catch (OsException e) {
            return 0;
        }
    }
}
