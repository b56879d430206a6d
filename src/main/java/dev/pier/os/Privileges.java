package dev.pier.os;

import static dev.pier.os.Native.INT;
import static dev.pier.os.Native.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Giving up root in a worker, as nginx's {@code ngx_worker_process_init}: setgid, initgroups, setuid.
 *
 * <p>A JVM has many threads, and on Linux credentials belong to each thread: the raw system calls would change only
 * the calling one. glibc's wrappers ({@code setuid}, {@code setgid}, {@code setgroups}, which {@code initgroups}
 * calls) apply the change to every thread of the process (its "setxid" broadcast), so those are the ones called
 * here, and {@link #threadsNotRunningAs} checks the result thread by thread in {@code /proc/self/task}.
 */
public final class Privileges {
    private static final int EPERM = 1;

    private Privileges() {
    }

    private static final class Handles {
        static final MethodHandle SETUID = Native.errnoCall("setuid", Native.ints(1));
        static final MethodHandle SETGID = Native.errnoCall("setgid", Native.ints(1));
        static final MethodHandle INITGROUPS = Native.errnoCall("initgroups", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle GETGID = Native.plainCall("getgid", FunctionDescriptor.of(INT));
        static final MethodHandle GETEGID = Native.plainCall("getegid", FunctionDescriptor.of(INT));
    }

    /**
     * Becomes {@code user} ({@code uid}, primary group {@code gid}, supplementary groups from the group database)
     * in every thread, for good: real, effective and saved ids all change, so root cannot be taken back.
     */
    public static void dropTo(String user, int uid, int gid) throws OsException {
        Native.call(Handles.SETGID, "setgid(" + gid + ")", gid);
        try (Arena arena = Arena.ofConfined()) {
            Native.call(Handles.INITGROUPS, "initgroups(" + user + ", " + gid + ")", arena.allocateFrom(user), gid);
        }
        Native.call(Handles.SETUID, "setuid(" + uid + ")", uid);
    }

    /** Whether this process could become root again: {@code setuid(0)} is tried and must fail with EPERM. */
    public static boolean canRegainRoot() {
        try {
            Native.call(Handles.SETUID, "setuid(0)", 0);
            return true;
        } catch (OsException e) {
            return e.errno() != EPERM;
        }
    }

    public static int getgid() {
        return (int) Native.invoke(Handles.GETGID);
    }

    public static int getegid() {
        return (int) Native.invoke(Handles.GETEGID);
    }

    /**
     * The threads of this process whose real, effective, saved or filesystem uid or gid is not {@code uid}/{@code gid}
     * (each as {@code "TID Uid: ... Gid: ..."}); empty when all of them run as the user.
     */
    public static List<String> threadsNotRunningAs(int uid, int gid) throws IOException {
        List<String> wrong = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String uids = null, gids = null;
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            uids = line;
                        } else if (line.startsWith("Gid:")) {
                            gids = line;
                        }
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // the thread ended meanwhile
                }
                if (!allEqual(uids, uid) || !allEqual(gids, gid)) {
                    wrong.add(task.getFileName() + " " + uids + " " + gids);
                }
            }
        }
        return wrong;
    }

    /** {@code Uid:\treal\teffective\tsaved\tfs}: true when every id is {@code id}. */
    static boolean allEqual(String statusLine, int id) {
        if (statusLine == null) {
            return false;
        }
        String[] f = statusLine.trim().split("\\s+");
        if (f.length != 5) {
            return false;
        }
        for (int i = 1; i < f.length; i++) {
            if (Integer.parseUnsignedInt(f[i]) != id) {
                return false;
            }
        }
        return true;
    }
}
