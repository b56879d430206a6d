package dev.pier.config.bind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The main context, merged: {@code worker_processes} (auto already resolved to the CPU count), {@code pid},
 * {@code error_log}, {@code daemon} (default off, unlike nginx), {@code master_process} (default on) and
 * {@code worker_shutdown_timeout} (empty: wait for requests in flight without a limit, as nginx) and Pier's own
 * {@code worker_spares} (warm worker JVMs kept ready to take over a slot at once; default 1, 0 turns them off) and
 * {@code user} (empty when not written: a master running as root then runs its workers as {@code nobody}, as nginx).
 * {@code errorLogs} are every main-level {@code error_log} line (nginx writes each message to every line whose level
 * it reaches); {@code errorLog} is the first of them.
 */
public record MainConf(int workerProcesses, Path pid, ErrorLogConf errorLog, boolean daemon, boolean masterProcess,
                       Optional<Duration> workerShutdownTimeout, int workerSpares, Optional<UserConf> user,
                       List<ErrorLogConf> errorLogs) {
    public static final int DEFAULT_WORKER_SPARES = 1;

    public MainConf {
        if (workerSpares < 0) {
            throw new IllegalArgumentException("worker_spares " + workerSpares);
        }
        if (workerProcesses < 1) {
            throw new IllegalArgumentException("worker_processes " + workerProcesses);
        }
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(workerShutdownTimeout, "workerShutdownTimeout");
        Objects.requireNonNull(user, "user");
        errorLogs = List.copyOf(errorLogs);
        if (errorLogs.isEmpty() || !errorLogs.getFirst().equals(errorLog)) {
            throw new IllegalArgumentException("errorLogs must start with errorLog");
        }
    }

    /** With one {@code error_log} line. */
    public MainConf(int workerProcesses, Path pid, ErrorLogConf errorLog, boolean daemon, boolean masterProcess,
                    Optional<Duration> workerShutdownTimeout, int workerSpares, Optional<UserConf> user) {
        this(workerProcesses, pid, errorLog, daemon, masterProcess, workerShutdownTimeout, workerSpares, user,
                List.of(errorLog));
    }

    /** Without a {@code user} directive (the shape before {@code user} existed, kept for fixtures). */
    public MainConf(int workerProcesses, Path pid, ErrorLogConf errorLog, boolean daemon, boolean masterProcess,
                    Optional<Duration> workerShutdownTimeout, int workerSpares) {
        this(workerProcesses, pid, errorLog, daemon, masterProcess, workerShutdownTimeout, workerSpares,
                Optional.empty());
    }
}
