package dev.pier.master;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary upgrade started by this (old) master: nginx's USR2 sequence, or {@code pier -s upgrade} which finishes it
 * on its own. The old master moves its pid file to {@code .oldbin} and its control socket aside, starts a new master
 * from the launcher (the jar and config on disk now) and hands it every listening socket when it connects. If the new
 * master dies, the names are moved back and the old master serves on.
 */
public final class Upgrade {
    static final String OLDBIN = ".oldbin";
    /** Environment variable telling a new master where the old master's control socket is. */
    static final String INHERIT_ENV = "PIER_INHERIT_FROM";
    /** Set for a process that must run in the foreground even with {@code daemon on} (see cli.Daemon). */
    public static final String DAEMON_CHILD_ENV = "PIER_DAEMON_CHILD";
    /** How long a new master may take to report every worker ready before the upgrade is abandoned. */
    static final java.time.Duration READY_LIMIT = java.time.Duration.ofSeconds(60);

    /** {@code pier -s upgrade}: finish by itself; USR2: leave the old master running for WINCH/QUIT or roll-back. */
    final boolean automatic;
    final Process newMaster;
    final ControlChannel client;
    ControlChannel link;
    boolean ready;

    private Upgrade(boolean automatic, Process newMaster, ControlChannel client) {
        this.automatic = automatic;
        this.newMaster = newMaster;
        this.client = client;
    }

    /**
     * Moves the pid file and control socket aside and starts the new master. On failure the names are restored and
     * the exception says why.
     */
    static Upgrade start(boolean automatic, ControlChannel client, Path pidFile, ControlServer control)
            throws IOException {
        String launcher = Relaunch.launcher()
                .orElseThrow(() -> new IOException("a binary upgrade needs the master to be started by bin/pier"));
        Path controlPath = control.path();
        Path oldControl = controlPath.resolveSibling(controlPath.getFileName() + OLDBIN);
        Path oldPid = pidFile.resolveSibling(pidFile.getFileName() + OLDBIN);
        Files.move(pidFile, oldPid, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        control.moveTo(oldControl);
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher);
        cmd.addAll(Relaunch.pierArguments());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(INHERIT_ENV, oldControl.toString());
        // a detached (daemon on) master's successor is detached already: it must not detach again
        pb.environment().put(DAEMON_CHILD_ENV, "1");
        try {
            return new Upgrade(automatic, pb.start(), client);
        } catch (IOException e) {
            restoreNames(pidFile, control, controlPath);
            throw e;
        }
    }

    /** The new master is gone: take the usual names back (unless something else already owns them). */
    static void restoreNames(Path pidFile, ControlServer control, Path controlPath) {
        Path oldPid = pidFile.resolveSibling(pidFile.getFileName() + OLDBIN);
        try {
            if (Files.exists(oldPid)) {
                Files.move(oldPid, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!control.path().equals(controlPath)) {
                control.moveTo(controlPath);
            }
        } catch (IOException ignored) {
            // the master still serves; `pier -s` may need the pid file restored by hand
        }
    }
}
