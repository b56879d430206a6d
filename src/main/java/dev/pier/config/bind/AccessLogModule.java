package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code access_log} and {@code open_log_file_cache} (ngx_http_log_module): several per level; a level with none inherits its parent's list, and
 * {@code access_log off} at a level cancels every log of that level. Default {@code logs/access.log combined}.
 */
public final class AccessLogModule implements ConfModule<AccessLogModule.Builder, AccessLogConf> {
    public static final AccessLogModule INSTANCE = new AccessLogModule();
    /** nginx's buffer size when only {@code gzip} asks for buffering; also the largest Pier accepts per write. */
    static final long DEFAULT_BUFFER = 64 * 1024;

    private AccessLogModule() {
    }

    /** One level's lines; {@code null} when the level has no {@code access_log}. */
    public static final class Builder {
        List<AccessLogTarget> logs;
        boolean off;
        /** {@code open_log_file_cache}: null unset, empty {@code off}. */
        Optional<OpenLogFileCache> cache;
    }

    @Override
    public Class<AccessLogConf> confType() {
        return AccessLogConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(simple("access_log", Arity.ONE_OR_MORE, AccessLogModule::accessLog, HTTP, SERVER, LOCATION,
                Context.IF_LOCATION),
                simple("open_log_file_cache", Arity.TAKE1234, OpenLogFileCacheParser::parse,
                        HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public AccessLogConf merge(Builder own, AccessLogConf parent) {
        Optional<OpenLogFileCache> cache = own.cache != null ? own.cache : parent.openLogFileCache();
        if (own.off) {
            return new AccessLogConf(List.of(), cache);
        }
        return new AccessLogConf(own.logs != null ? own.logs : parent.logs(), cache);
    }

    @Override
    public AccessLogConf defaults(Path prefix) {
        return new AccessLogConf(List.of(new AccessLogTarget(prefix.resolve("logs/access.log"), LogFormat.COMBINED,
                0, Duration.ZERO, Optional.empty())));
    }

    /** {@code ngx_http_log_set_log}. */
    private static void accessLog(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        List<String> args = d.args();
        String path = args.getFirst();
        if (path.equals("off")) {
            if (args.size() != 1) {
                throw Errors.at(d, "invalid parameter " + Errors.q(args.get(1)));
            }
            b.off = true;
            return;
        }
        if (path.startsWith("syslog:")) {
            throw Errors.at(d, "syslog access logs are not supported");
        }
        Optional<String> template = Optional.empty();
        if (path.indexOf('$') >= 0) {
            // ngx_conf_full_name first: a relative path with variables is under the prefix too
            String full = s.prefix().resolve(path).toString();
            VariableCatalog.check(full, d.source());
            template = Optional.of(full);
        }
        LogFormat format = LogFormat.COMBINED;
        if (args.size() > 1) {
            format = s.httpModule(LogFormatModule.INSTANCE).get(args.get(1));
            if (format == null) {
                throw Errors.at(d, "unknown log format " + Errors.q(args.get(1)));
            }
        }
        long buffer = 0;
        long flush = -1;
        Optional<String> cond = Optional.empty();
        for (String a : args.subList(Math.min(2, args.size()), args.size())) {
            if (a.startsWith("buffer=")) {
                buffer = Values.size(a.substring(7));
                if (buffer <= 0) {
                    throw Errors.at(d, "invalid buffer size " + Errors.q(a.substring(7)));
                }
            } else if (a.startsWith("flush=")) {
                flush = Values.msec(a.substring(6));
                if (flush <= 0) {
                    throw Errors.at(d, "invalid flush time " + Errors.q(a.substring(6)));
                }
            } else if (a.startsWith("if=")) {
                VariableCatalog.check(a.substring(3), d.source());
                cond = Optional.of(a.substring(3));
            } else if (a.equals("gzip") || a.startsWith("gzip=")) {
                throw Errors.at(d, "gzip access logs are not supported");
            } else {
                throw Errors.at(d, "invalid parameter " + Errors.q(a));
            }
        }
        if (flush > 0 && buffer == 0) {
            throw Errors.at(d, "no buffer is defined for access_log " + Errors.q(path));
        }
        if (template.isPresent() && buffer > 0) {
            throw Errors.at(d, "buffered logs cannot have variables in name");
        }
        if (b.logs == null) {
            b.logs = new ArrayList<>();
        }
        b.logs.add(new AccessLogTarget(s.prefix().resolve(path), format, buffer,
                Duration.ofMillis(Math.max(0, flush)), cond, template));
    }
}
