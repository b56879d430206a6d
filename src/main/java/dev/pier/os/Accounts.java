package dev.pier.os;

import static dev.pier.os.Native.INT;
import static dev.pier.os.Native.LONG;
import static dev.pier.os.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * User and group look-ups through the C library (getpwnam_r, getgrnam_r), so every NSS source the machine is set up
 * with (files, LDAP, systemd's dynamic users) answers, as it does for nginx's getpwnam/getgrnam. The reentrant forms
 * are used because a JVM has many threads.
 */
public final class Accounts {
    /** A passwd entry: the login name, its uid and its primary gid. */
    public record Account(String name, int uid, int gid) {
    }

    private static final int ERANGE = 34;
    // struct passwd (x86_64): pw_name 0, pw_passwd 8, pw_uid 16, pw_gid 20, pw_gecos 24, pw_dir 32, pw_shell 40
    private static final long PASSWD_SIZE = 48, PW_UID = 16, PW_GID = 20;
    // struct group (x86_64): gr_name 0, gr_passwd 8, gr_gid 16, gr_mem 24
    private static final long GROUP_SIZE = 32, GR_GID = 16;

    private Accounts() {
    }

    private static final class Handles {
        private static final FunctionDescriptor BY_NAME = FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR);
        static final MethodHandle GETPWNAM_R = Native.plainCall("getpwnam_r", BY_NAME);
        static final MethodHandle GETGRNAM_R = Native.plainCall("getgrnam_r", BY_NAME);
    }

    /** The user called {@code name}, or empty when there is none. */
    public static Optional<Account> user(String name) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = lookup(arena, Handles.GETPWNAM_R, name, PASSWD_SIZE, "getpwnam");
            if (entry == null) {
                return Optional.empty();
            }
            return Optional.of(new Account(name, entry.get(INT, PW_UID), entry.get(INT, PW_GID)));
        }
    }

    /** The gid of the group called {@code name}, or empty when there is none. */
    public static OptionalInt group(String name) throws OsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = lookup(arena, Handles.GETGRNAM_R, name, GROUP_SIZE, "getgrnam");
            return entry == null ? OptionalInt.empty() : OptionalInt.of(entry.get(INT, GR_GID));
        }
    }

    /**
     * Calls a {@code get*nam_r} function, growing the string buffer on ERANGE (a group with many members needs a
     * large one). Returns the filled entry, or null when the name does not exist.
     */
    private static MemorySegment lookup(Arena arena, MethodHandle fn, String name, long entrySize, String what)
            throws OsException {
        MemorySegment cName = arena.allocateFrom(name);
        MemorySegment entry = arena.allocate(entrySize, 8);
        MemorySegment result = arena.allocate(PTR);
        for (long size = 1024; ; size *= 4) {
            MemorySegment buf = arena.allocate(size);
            int rc = (int) Native.invoke(fn, cName, entry, buf, size, result);
            if (rc == ERANGE && size < (64L << 20)) {
                continue;
            }
            if (rc != 0) {
                throw new OsException(what + "(\"" + name + "\")", rc);
            }
            return result.get(PTR, 0).equals(MemorySegment.NULL) ? null : entry;
        }
    }
}
