package dev.pier.config.bind;

/** The {@code events} block while binding. */
final class EventsBuilder {
    final Slot<Integer> workerConnections = new Slot<>();

    EventsConf build() {
        return new EventsConf(workerConnections.orElse(EventsConf.DEFAULT.workerConnections()));
    }
}
