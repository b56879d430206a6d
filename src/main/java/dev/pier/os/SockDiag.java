package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * The kernel's socket table through {@code sock_diag} netlink (sock_diag(7), {@code NETLINK_SOCK_DIAG} with an
 * {@code inet_diag_req_v2} dump): the TCP sockets in LISTEN state only, which the kernel walks in its listening hash
 * alone. Reading {@code /proc/net/tcp} instead makes the kernel format, and the reader parse, every connection on
 * the machine, TIME_WAIT ones included: tens of thousands of lines under a load of short connections.
 */
public final class SockDiag {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLMSG_HDRLEN = 16;
    private static final int REQ_LEN = NLMSG_HDRLEN + 56; // nlmsghdr + inet_diag_req_v2
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_LISTEN = 10;
    /** Offsets in {@code struct inet_diag_msg}: {@code id.idiag_sport} (big-endian) and {@code idiag_inode}. */
    private static final long MSG_SPORT = 4;
    private static final long MSG_INODE = 68;

    private SockDiag() {
    }

    /** Inodes of the TCP sockets listening on {@code port}, IPv4 and IPv6. */
    public static Set<Long> tcpListeners(int port) throws OsException {
        Set<Long> out = new HashSet<>();
        int fd = Libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG, "socket(NETLINK_SOCK_DIAG)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(32 * 1024, 8);
            for (int family : new int[] {2, 10}) { // AF_INET, AF_INET6
                dump(fd, family, port, arena, buf, out);
            }
        } finally {
            Libc.close(fd);
        }
        return out;
    }

    private static void dump(int fd, int family, int port, Arena arena, MemorySegment buf, Set<Long> out)
            throws OsException {
        MemorySegment req = arena.allocate(REQ_LEN, 8);
        req.set(Native.INT, 0, REQ_LEN);
        req.set(Native.SHORT, 4, SOCK_DIAG_BY_FAMILY);
        req.set(Native.SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        req.set(Native.INT, 8, family); // sequence number: the family, to tell the answers apart
        req.set(Native.BYTE, NLMSG_HDRLEN, (byte) family);
        req.set(Native.BYTE, NLMSG_HDRLEN + 1, (byte) IPPROTO_TCP);
        req.set(Native.INT, NLMSG_HDRLEN + 4, 1 << TCP_LISTEN);
        Libc.write(fd, req, "sock_diag request");
        while (true) {
            long n = Libc.read(fd, buf, "sock_diag answer");
            long at = 0;
            while (at + NLMSG_HDRLEN <= n) {
                int len = buf.get(Native.INT, at);
                int type = buf.get(Native.SHORT, at + 4) & 0xffff;
                if (len < NLMSG_HDRLEN || at + len > n) {
                    return; // malformed: what was read so far stands
                }
                if (type == NLMSG_DONE) {
                    return;
                }
                if (type == NLMSG_ERROR) {
                    int errno = -buf.get(Native.INT, at + NLMSG_HDRLEN);
                    throw new OsException("sock_diag dump", errno);
                }
                if (type == SOCK_DIAG_BY_FAMILY) {
                    MemorySegment msg = buf.asSlice(at + NLMSG_HDRLEN, len - NLMSG_HDRLEN);
                    int sport = Short.toUnsignedInt(msg.get(Native.SHORT.withOrder(ByteOrder.BIG_ENDIAN), MSG_SPORT));
                    long inode = Integer.toUnsignedLong(msg.get(Native.INT, MSG_INODE));
                    if (sport == port && inode != 0) {
                        out.add(inode);
                    }
                }
                at += (len + 3) & ~3; // NLMSG_ALIGN
            }
        }
    }
}
