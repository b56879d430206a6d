package dev.pier.os;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Giving up root in a many-threaded JVM: glibc's wrappers must change every thread, which the parent checks itself
 * in {@code /proc/PID/task/*}/status, not only through the child's own report. Needs root.
 */
class PrivilegesTest {
    private static final int NOBODY = 65534;

    @Test
    void everyThreadOfAChildJvmBecomesTheUserForGood() throws Exception {
        assumeTrue(Posix.geteuid() == 0, "only root can give up root");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = codeSource(Privileges.class) + ":" + codeSource(PrivilegesChild.class);
        Process child = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, PrivilegesChild.class.getName(),
                Integer.toString(NOBODY), Integer.toString(NOBODY), "nobody"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = CompletableFuture.supplyAsync(() -> readUntilDone(out)).get(60, TimeUnit.SECONDS);
            assertThat(lines).contains("wrong=[]", "regain=false",
                    "ids=" + NOBODY + "," + NOBODY + "," + NOBODY + "," + NOBODY);

            List<String> seen = new ArrayList<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + child.pid() + "/task"))) {
                for (Path t : tasks) {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("Uid:") || line.startsWith("Gid:")) {
                            seen.add(line.replaceAll("\\s+", " "));
                        }
                    }
                }
            }
            assertThat(seen.size()).as("a JVM plus four sleepers has many threads").isGreaterThan(2 * 8);
            assertThat(seen).allMatch(l -> l.endsWith(" 65534 65534 65534 65534"));
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> readUntilDone(BufferedReader in) {
        List<String> lines = new ArrayList<>();
        try {
            for (String l; (l = in.readLine()) != null && !l.equals("done"); ) {
                lines.add(l);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines;
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
