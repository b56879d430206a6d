package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;

import java.util.Optional;

/**
 * A feature module (return, static files, add_header …). For each location of a configuration generation, including
 * each server level, the runtime asks every module once for its compiled handlers; nothing is compiled per request.
 */
public interface HttpModule {

    /** A handler for the rewrite phase of this level (nginx runs a level's {@code return} there). */
    default Optional<PhaseHandler> rewrite(LocationConf loc) throws ConfigException {
        return Optional.empty();
    }

    /**
     * {@link #rewrite(LocationConf)} for a level that may hold other levels to compile along (the rewrite module's
     * {@code if} blocks, nginx's implicit locations): {@code nested} compiles one with every module.
     */
    default Optional<PhaseHandler> rewrite(LocationConf loc, LocationCompiler nested) throws ConfigException {
        return rewrite(loc);
    }

    /** Compiles a level that belongs to the one being compiled (same modules, same log files). */
    @FunctionalInterface
    interface LocationCompiler {
        Location compile(LocationConf conf) throws ConfigException;
    }

    /**
     * A handler for nginx's preaccess phase ({@code limit_conn}, {@code limit_req}): after the location's rewrite
     * phase, before the content phase; it may answer {@link PhaseResult.Delay}.
     */
    default Optional<PhaseHandler> preaccess(LocationConf loc) throws ConfigException {
        return Optional.empty();
    }

    /** A handler for the content phase; the first handler that does not decline finishes the request. */
    default Optional<PhaseHandler> content(LocationConf loc) throws ConfigException {
        return Optional.empty();
    }

    /** A filter applied to the headers of every response sent from this location. */
    default Optional<HeaderFilter> headerFilter(LocationConf loc) throws ConfigException {
        return Optional.empty();
    }

    /** A handler for the log phase of requests that end in this location; {@code files} opens log files. */
    default Optional<LogHandler> log(LocationConf loc, AccessLogs files) throws ConfigException {
        return Optional.empty();
    }

    /**
     * The worker serving this generation begins a graceful exit (nginx's {@code ngx_exiting}): let go of what is
     * kept open only for requests to come, such as idle upstream connections. Called once, off the event loops.
     */
    default void exiting() {
    }
}
