package dev.pier.http;

/** One module's compiled handler for one location and one phase. Runs on the connection's event loop. */
@FunctionalInterface
public interface PhaseHandler {
    PhaseResult handle(Exchange ex);
}
