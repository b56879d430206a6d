package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SignalFdTest {

    @Test
    void signalsAreNotBlockedInAnOrdinaryJvmThread() throws Exception {
        // surefire starts the JVM without a blocked mask; TERM must never be blocked here or the test JVM could hang
        assertThat(SignalFd.isBlocked(Signal.TERM)).isFalse();
    }

    @Test
    void opensAndTimesOutWhenNothingIsPending() throws Exception {
        try (SignalFd fd = SignalFd.open(EnumSet.of(Signal.WINCH))) {
            assertThat(Fds.isOpen(fd.fd())).isTrue();
            assertThat(fd.poll(10)).isNull();
        }
    }

    /**
     * The real route: a JVM started under {@code env --block-signal=USR1 java -Xrs} reads USR1 from its signalfd
     * instead of dying from it (USR1's default action terminates the process).
     */
    @Test
    void childJvmWithBlockedSignalReadsItFromTheSignalfd() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = codeSource(SignalFd.class) + ":" + codeSource(SignalFdChild.class);
        Process child = new ProcessBuilder(List.of("env", "--block-signal=USR1,HUP", java, "-Xrs",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath, SignalFdChild.class.getName()))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
            assertThat(ready).isEqualTo("ready blocked=true");
            Posix.kill(child.pid(), Signal.USR1);
            String got = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
            assertThat(got).isEqualTo("got USR1");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
