package dev.pier.os;

import static dev.pier.os.Native.INT;
import static dev.pier.os.Native.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files a root master creates for workers that run as another user: log files the workers open themselves (at
 * start and after USR1) must exist and belong to that user, or a worker that gave up root could not open them.
 * nginx's {@code ngx_reopen_files} does the same for its open files: chown to the worker user, add owner read and
 * write.
 *
 * <p>The file is opened with {@code O_NOFOLLOW} and changed through its descriptor ({@code fchown}, {@code fchmod}),
 * never by name, so a symbolic link planted in a log directory the workers can write cannot make a root master hand
 * another file to them.
 */
public final class FileOwners {
    private static final int O_WRONLY = 01, O_CREAT = 0100, O_APPEND = 02000, O_NONBLOCK = 04000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000;
    private static final int S_IRUSR_IWUSR = 0600, NEW_FILE_MODE = 0644;

    private FileOwners() {
    }

    private static final class Handles {
        static final MethodHandle OPEN = Native.LINKER.downcallHandle(
                Native.LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(INT, PTR, INT, INT), Linker.Option.firstVariadicArg(2),
                Linker.Option.captureCallState("errno"));
        static final MethodHandle FCHOWN = Native.errnoCall("fchown", Native.ints(3));
    }

    /**
     * Creates {@code file} (and its directories) if missing, then makes it owned by {@code uid} with owner
     * read/write. The group is left alone, as nginx does. Anything but a regular file is left untouched.
     */
    public static void prepareFor(Path file, int uid) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) Native.call(Handles.OPEN, "open() \"" + file + "\"", arena.allocateFrom(file.toString()),
                    O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, NEW_FILE_MODE);
        }
        try {
            // the descriptor's own inode, whatever happens to the name meanwhile
            Path self = Path.of("/proc/self/fd/" + fd);
            if (!Files.isRegularFile(self)) {
                return;
            }
            if ((int) Files.getAttribute(self, "unix:uid") != uid) {
                Native.call(Handles.FCHOWN, "fchown() \"" + file + "\"", fd, uid, -1);
            }
            int mode = (int) Files.getAttribute(self, "unix:mode") & 07777;
            if ((mode & S_IRUSR_IWUSR) != S_IRUSR_IWUSR) {
                Libc.fchmod(fd, mode | S_IRUSR_IWUSR, "fchmod() \"" + file + "\"");
            }
        } finally {
            Fds.closeQuietly(fd);
        }
    }
}
