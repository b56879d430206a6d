package dev.pier.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** open(2) for tests that need a raw file descriptor. */
final class TestFiles {
    // open(const char *, int, ...): the mode is variadic
    private static final MethodHandle OPEN = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(Native.INT, Native.PTR, Native.INT, Native.INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private TestFiles() {
    }

    static int open(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Native.call(OPEN, "open() \"" + file + "\"", arena.allocateFrom(file.toString()),
                    O_RDONLY_CLOEXEC, 0);
        }
    }
}
