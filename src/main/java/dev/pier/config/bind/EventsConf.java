package dev.pier.config.bind;

/** {@code events { worker_connections N; }} (default 512, as nginx). */
public record EventsConf(int workerConnections) {
    public static final EventsConf DEFAULT = new EventsConf(512);

    public EventsConf {
        if (workerConnections < 1) {
            throw new IllegalArgumentException("worker_connections " + workerConnections);
        }
    }
}
