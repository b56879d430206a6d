package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code error_log} in http, server and location ({@code ngx_http_core_error_log}): every line of one level is kept
 * (each destination takes the messages at or above its level); a level without one inherits its parent's, and the
 * http level the main one's. The main context's row is {@link CoreDirectives}'.
 */
public final class ErrorLogModule implements ConfModule<ErrorLogModule.Builder, LevelErrorLogs> {
    public static final ErrorLogModule INSTANCE = new ErrorLogModule();

    private ErrorLogModule() {
    }

    /** One level's lines; {@code null} until the level has one. */
    public static final class Builder {
        List<ErrorLogConf> logs;
    }

    @Override
    public Class<LevelErrorLogs> confType() {
        return LevelErrorLogs.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(simple("error_log", Arity.ONE_OR_MORE, ErrorLogModule::errorLog, HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public LevelErrorLogs merge(Builder own, LevelErrorLogs parent) {
        return own.logs != null ? new LevelErrorLogs(own.logs) : parent;
    }

    @Override
    public LevelErrorLogs defaults(Path prefix) {
        return LevelErrorLogs.MAIN;
    }

    private static void errorLog(Directive d, Scope s) throws ConfigException {
        ErrorLogConf conf = ErrorLogParser.parse(d, s.prefix());
        Builder b = s.module(INSTANCE);
        if (b.logs == null) {
            b.logs = new ArrayList<>();
        }
        b.logs.add(conf);
    }
}
