package dev.pier.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts worker JVMs: the same java and class path as the master, worker-sized JVM flags, and the hidden
 * {@code --worker SOCKET SLOT GENERATION} role. A worker inherits the master's stdout and stderr. Extra JVM flags for
 * workers can be given in {@code PIER_WORKER_OPTS} (for example a smaller {@code -Xmx} in tests).
 */
final class WorkerSpawner {
    private final Supplier<Path> controlSocket;
    private final List<String> baseCommand;

    /** {@code controlSocket}: where this master's control socket is now (it moves aside during a binary upgrade). */
    WorkerSpawner(Supplier<Path> controlSocket) {
        this.controlSocket = controlSocket;
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // One event loop per worker: the serial collector (sub-ms pauses on a small heap) and a heap sized for
        // buffers in flight, not for caches. A worker that runs out of heap exits and is replaced.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xms16m");
        cmd.add("-Xmx256m");
        cmd.add("-XX:ReservedCodeCacheSize=64m");
        cmd.add("-Xss512k");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // return freed native memory (the JIT's arenas after warm-up) to the system: ~10 MiB of RSS per worker
        cmd.add("-XX:TrimNativeHeapInterval=5000");
        unsafeMemoryAccess(Runtime.version().feature()).ifPresent(cmd::add);
        // Netty: one arena per event loop thread, no leak-tracking samples on the hot path
        cmd.add("-Dio.netty.allocator.numDirectArenas=1");
        cmd.add("-Dio.netty.allocator.numHeapArenas=1");
        cmd.add("-Dio.netty.leakDetection.level=disabled");
        String home = System.getProperty("pier.home");
        if (home != null) {
            cmd.add("-Dpier.home=" + home);
        }
        // the build's AOT cache (bin/pier passes it when present): classes loaded and linked (no profiles: see pom.xml)
        String aot = System.getProperty("pier.aot");
        if (aot != null && !aot.isBlank() && Files.isRegularFile(Path.of(aot))) {
            cmd.add("-XX:AOTCache=" + aot);
            // map the cache where it was built instead of relocating it: relocation writes every pointer in it and
            // so makes ~20 MiB of it private to each worker; mapped in place, its read-only part is one copy in the
            // page cache shared by all workers (the JDK's mode before 21; the archive's address is then predictable,
            // see SECURITY.md)
            cmd.add("-XX:+UnlockDiagnosticVMOptions");
            cmd.add("-XX:ArchiveRelocationMode=0");
            cmd.add("-Dpier.aot=" + aot);
        }
        String extra = System.getenv("PIER_WORKER_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.pier.Pier");
        // the master's own -p/-c/-g: a spare warms itself up on the configuration before it has a slot
        cmd.addAll(Relaunch.pierArguments());
        this.baseCommand = List.copyOf(cmd);
    }

    /**
     * The JVM option that lets Netty use {@code sun.misc.Unsafe} on a JDK of {@code feature} version, if it needs
     * one. Netty 4.2 stops using it on Java 25 unless the JVM allows its memory access (JEPs 471 and 498) and then
     * reaches direct memory through {@code ByteBuffer} views: allowed, a worker spends about 7% less user CPU per
     * {@code return 200} request and 3% less per 4 KiB file (docs/PERFORMANCE.md, seventh part). The option exists
     * from JDK 23 on, and a later JDK that drops it would refuse to start with it, so only the versions Pier is
     * built and measured for get it; on others Netty runs without Unsafe, as it would by default.
     */
    static Optional<String> unsafeMemoryAccess(int feature) {
        return feature >= 23 && feature <= 25 ? Optional.of("--sun-misc-unsafe-memory-access=allow")
                : Optional.empty();
    }

    /** Starts a worker for {@code slot}, or a spare for slot -1. */
    Process spawn(int slot, long generation) throws IOException {
        List<String> cmd = new ArrayList<>(baseCommand);
        cmd.add("--worker");
        cmd.add(controlSocket.get().toString());
        cmd.add(Integer.toString(slot));
        cmd.add(Long.toString(generation));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // glibc's per-thread malloc arenas only add RSS to a JVM with one busy thread
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        return pb.inheritIO().redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }
}
