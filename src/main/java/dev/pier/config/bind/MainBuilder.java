package dev.pier.config.bind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The main context while binding; {@link #build} applies Pier's defaults. */
final class MainBuilder {
    final Slot<Integer> workerProcesses = new Slot<>();
    final Slot<Path> pid = new Slot<>();
    /** Every error_log line, in order: nginx writes to all of them. */
    final java.util.List<ErrorLogConf> errorLogs = new java.util.ArrayList<>();
    final Slot<Boolean> daemon = new Slot<>();
    final Slot<Boolean> masterProcess = new Slot<>();
    final Slot<Duration> workerShutdownTimeout = new Slot<>();
    final Slot<Integer> workerSpares = new Slot<>();
    final Slot<UserConf> user = new Slot<>();
    final Slot<EventsBuilder> events = new Slot<>();
    final Slot<HttpBuilder> http = new Slot<>();

    MainConf build(Path prefix) {
        java.util.List<ErrorLogConf> logs = !errorLogs.isEmpty() ? errorLogs
                : java.util.List.of(new ErrorLogConf(Optional.of(prefix.resolve("logs/error.log")), LogLevel.ERROR));
        return new MainConf(workerProcesses.orElse(1), pid.orElse(prefix.resolve("logs/pier.pid")), logs.getFirst(),
                daemon.orElse(false), masterProcess.orElse(true), Optional.ofNullable(workerShutdownTimeout.get()),
                workerSpares.orElse(MainConf.DEFAULT_WORKER_SPARES), Optional.ofNullable(user.get()), logs);
    }
}
