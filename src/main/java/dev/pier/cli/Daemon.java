package dev.pier.cli;

import dev.pier.config.bind.PierConfig;
import dev.pier.master.PidFile;
import dev.pier.master.Relaunch;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code daemon on}. A JVM cannot fork, so the launching process starts the same launcher again in a new session
 * ({@code setsid}) with stdio on /dev/null, waits until that process has written the pid file (every socket bound)
 * or has died, and returns: exit 0 when the detached master is serving, 1 otherwise.
 */
final class Daemon {
    static final String CHILD_MARK = dev.pier.master.Upgrade.DAEMON_CHILD_ENV;
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private Daemon() {
    }

    static int detach(PierConfig config) {
        String launcher = Relaunch.launcher().orElse(null);
        if (launcher == null) {
            System.err.println("pier: [emerg] \"daemon on\" needs the bin/pier launcher");
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(launcher);
        cmd.addAll(Relaunch.pierArguments());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(CHILD_MARK, "1");
        File devNull = new File("/dev/null");
        pb.redirectInput(devNull).redirectOutput(devNull).redirectError(devNull);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            System.err.println("pier: [emerg] cannot start the daemon: " + e.getMessage());
            return 1;
        }
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                OptionalLong pid = PidFile.read(config.main().pid());
                if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).isPresent()
                        && isDescendant(pid.getAsLong(), p.pid())) {
                    return 0;
                }
            } catch (IOException ignored) {
                // not written yet
            }
            if (!p.isAlive()) {
                System.err.println("pier: [emerg] the daemon exited with code " + p.exitValue()
                        + " before serving; see the error log");
                return 1;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        System.err.println("pier: [emerg] the daemon did not start within " + START_LIMIT.toSeconds() + "s");
        return 1;
    }

    /** The launched process is setsid, which execs the launcher, which execs java: the same pid, or its child. */
    private static boolean isDescendant(long pid, long root) {
        if (pid == root) {
            return true;
        }
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ph -> ph.pid() == root).orElse(false);
    }
}
