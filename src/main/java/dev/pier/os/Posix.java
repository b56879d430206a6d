package dev.pier.os;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Process calls: ids, signals, session and umask. */
public final class Posix {
    private Posix() {
    }

    private static final class Ids {
        static final MethodHandle GETPID = Native.plainCall("getpid", FunctionDescriptor.of(Native.INT));
        static final MethodHandle GETUID = Native.plainCall("getuid", FunctionDescriptor.of(Native.INT));
        static final MethodHandle GETEUID = Native.plainCall("geteuid", FunctionDescriptor.of(Native.INT));
        static final MethodHandle UMASK = Native.plainCall("umask", FunctionDescriptor.of(Native.INT, Native.INT));
    }

    private static final class Process {
        static final MethodHandle KILL = Native.errnoCall("kill", Native.ints(2));
        static final MethodHandle SETSID = Native.errnoCall("setsid", FunctionDescriptor.of(Native.INT));
    }

    public static int getpid() {
        return (int) Native.invoke(Ids.GETPID);
    }

    public static int getuid() {
        return (int) Native.invoke(Ids.GETUID);
    }

    public static int geteuid() {
        return (int) Native.invoke(Ids.GETEUID);
    }

    /** kill(2), worded as nginx: {@code kill(1234, 1) failed (3: No such process)}. */
    public static void kill(long pid, Signal signal) throws OsException {
        Native.call(Process.KILL, "kill(" + pid + ", " + signal.number() + ")", Math.toIntExact(pid), signal.number());
    }

    /** setsid(2): a new session without a controlling terminal (for daemonised masters); returns the session id. */
    public static int setsid() throws OsException {
        return (int) Native.call(Process.SETSID, "setsid()");
    }

    /**
     * umask(2): sets the process-wide file creation mask and returns the previous one. It affects every thread, so
     * prefer per-file modes (as {@link UnixSockets#listen} does) while other threads may create files.
     */
    public static int umask(int mask) {
        return (int) Native.invoke(Ids.UMASK, mask);
    }
}
