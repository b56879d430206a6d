package dev.pier.http;

/**
 * nginx's log phase: runs once per request after its last byte was handed to the connection (or it ended without a
 * response: 444, abort, protocol switch), in the location where processing ended. Runs on the event loop: it must
 * not block (hand I/O to {@link AccessLogs}).
 */
@FunctionalInterface
public interface LogHandler {
    void log(Exchange ex);
}
