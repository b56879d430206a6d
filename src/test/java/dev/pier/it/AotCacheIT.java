package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build trains a JDK AOT cache (target/pier.aot) and bin/pier hands it to the master and every worker JVM. With
 * {@code -XX:AOTMode=on} a JVM refuses to start when the cache does not match its classpath and flags, so workers
 * that serve under that mode prove the cache is really used, not silently ignored.
 */
class AotCacheIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    /**
     * The cache holds classes, not the training's method profiles: profiles of a few hundred requests made the JIT's
     * serving code slower for a worker's whole life (PERFORMANCE.md). The JVM lists the cache's training data with
     * {@code -XX:+AOTPrintTrainingInfo}; {@code -XX:AOTMode=on} makes sure the cache was the one read.
     */
    @Test
    void theAotCacheCarriesNoMethodProfiles() throws Exception {
        Path home = Path.of(System.getProperty("pier.home", ".")).toAbsolutePath().normalize();
        Path cache = home.resolve("target/pier.aot");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m", "-XX:AOTMode=on",
                "-XX:AOTCache=" + cache, "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTPrintTrainingInfo",
                "-cp", home.resolve("target/pier.jar") + ":" + home.resolve("target/lib") + "/*", "-version")
                .redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as(out).isZero();
        String dictionary = "Archived TrainingData Dictionary";
        assertThat(out).contains(dictionary);
        assertThat(out.substring(out.indexOf(dictionary) + dictionary.length()).lines()
                .filter(l -> l.matches("\\s*\\d+: .*"))).as("training data entries").isEmpty();
    }

    @Test
    void workersStartFromTheBuildsAotCache() throws Exception {
        Path cache = Path.of(System.getProperty("pier.home", "."), "target", "pier.aot");
        assertThat(cache).as("the build's AOT cache").isRegularFile();
        int port = Ports.free();
        PierInstance p = pier.newInstance().env("PIER_WORKER_OPTS", "-XX:AOTMode=on")
                .writeConf(Confs.tagged(port, 2, true, "gen-a")).start();
        var workers = Ops.awaitServing(p, p.masterPid(), port, 2);
        Ops.awaitServed(port, "gen-a");
        for (WorkerInfo w : workers) {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(w.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).as("worker %d's command line", w.pid())
                    .contains("-XX:AOTCache=" + cache.toAbsolutePath().normalize())
                    // Netty keeps using sun.misc.Unsafe on Java 25 (WorkerSpawner.unsafeMemoryAccess)
                    .contains("--sun-misc-unsafe-memory-access=allow");
        }
    }
}
