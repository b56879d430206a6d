package dev.pier.os;

import dev.pier.config.bind.ListenAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code struct sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} as Linux x86_64 lays them out. */
final class SockAddr {
    static final int IN_SIZE = 16;
    static final int IN6_SIZE = 28;
    static final int UN_SIZE = 110;
    /** sun_path is 108 bytes including the terminating NUL. */
    static final int UN_PATH_MAX = 107;
    /** Large enough for any of the three (sockaddr_storage is 128). */
    static final int STORAGE_SIZE = 128;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    static int family(ListenAddress address) {
        return switch (address) {
            case ListenAddress.Inet inet -> inet.isIpv6() ? Libc.AF_INET6 : Libc.AF_INET;
            case ListenAddress.Unix ignored -> Libc.AF_UNIX;
        };
    }

    static MemorySegment of(Arena arena, ListenAddress address) {
        return switch (address) {
            case ListenAddress.Inet inet -> inet(arena, inet);
            case ListenAddress.Unix unix -> unix(arena, unix.path());
        };
    }

    static MemorySegment inet(Arena arena, ListenAddress.Inet inet) {
        byte[] ip = inet.host().getAddress();
        if (inet.isIpv6()) {
            MemorySegment sa = arena.allocate(IN6_SIZE, 4);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET6);
            sa.set(PORT, 2, (short) inet.port());
            MemorySegment.copy(ip, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
            sa.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) inet.host()).getScopeId());
            return sa;
        }
        MemorySegment sa = arena.allocate(IN_SIZE, 4);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
        sa.set(PORT, 2, (short) inet.port());
        MemorySegment.copy(ip, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
        return sa;
    }

    /** A sockaddr_un for a filesystem path; paths longer than sun_path allows are refused, never truncated. */
    static MemorySegment unix(Arena arena, Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length > UN_PATH_MAX || name.length == 0) {
            throw new IllegalArgumentException("unix socket path too long (max " + UN_PATH_MAX + " bytes): " + path);
        }
        MemorySegment sa = arena.allocate(UN_SIZE, 2);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(name, 0, sa, ValueLayout.JAVA_BYTE, 2, name.length);
        return sa;
    }

    /** The port of a sockaddr_in or sockaddr_in6 (getsockname's result); -1 for other families. */
    static int port(MemorySegment sa) {
        int family = sa.get(ValueLayout.JAVA_SHORT, 0);
        if (family != Libc.AF_INET && family != Libc.AF_INET6) {
            return -1;
        }
        return Short.toUnsignedInt(sa.get(PORT, 2));
    }
}
