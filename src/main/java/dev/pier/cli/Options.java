package dev.pier.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed command line, nginx's flags: {@code -c FILE -p PREFIX -e ERRLOG -g "directives;" -t -T -q -s SIGNAL
 * -v -V -h}. Paths are absolute: the prefix against the working directory, the config file and {@code -e} against the
 * prefix (as nginx resolves them).
 *
 * @param worker the hidden worker role: the path of the master's control socket
 */
public record Options(Path prefix, Path confFile, Optional<String> errorLog, Optional<String> globalDirectives,
                      Action action, boolean quiet, Optional<String> signal, Optional<WorkerArgs> worker) {

    /** What this run does; {@link #SERVE} starts a master (or a single process with {@code master_process off}). */
    public enum Action { SERVE, TEST, TEST_DUMP, SIGNAL, VERSION, VERSION_FULL, HELP, WORKER }

    /** Arguments the master gives a worker JVM it spawns. */
    public record WorkerArgs(Path controlSocket, int slot, long generation) {
        public WorkerArgs {
            Objects.requireNonNull(controlSocket, "controlSocket");
        }
    }

    public Options {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(confFile, "confFile");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(globalDirectives, "globalDirectives");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(worker, "worker");
    }
}
