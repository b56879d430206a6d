package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@code error_log FILE|stderr [level]} as nginx's {@code ngx_log_set_log} and {@code ngx_log_set_levels}. */
final class ErrorLogParser {
    private ErrorLogParser() {
    }

    /** nginx's debug masks: accepted, and they mean level {@code debug}. */
    private static final Set<String> DEBUG_MASKS = Set.of("debug_core", "debug_alloc", "debug_mutex", "debug_event",
            "debug_http", "debug_mail", "debug_stream");

    static ErrorLogConf parse(Directive d, Path prefix) throws ConfigException {
        String target = d.args().getFirst();
        if (target.startsWith("syslog:") || target.startsWith("memory:")) {
            throw Errors.at(d, "\"" + target.substring(0, target.indexOf(':')) + "\" error log is not supported");
        }
        Optional<Path> file = target.equals("stderr") ? Optional.empty() : Optional.of(prefix.resolve(target));
        LogLevel level = null;
        boolean debugMask = false;
        for (String arg : d.args().subList(1, d.args().size())) {
            Optional<LogLevel> l = LogLevel.parse(arg);
            if (l.isPresent()) {
                if (level != null) {
                    throw Errors.at(d, "duplicate log level " + Errors.q(arg));
                }
                level = l.get();
            } else if (DEBUG_MASKS.contains(arg) && level == null) {
                debugMask = true;
            } else {
                throw Errors.at(d, "invalid log level " + Errors.q(arg));
            }
        }
        if (level == null) {
            level = debugMask ? LogLevel.DEBUG : LogLevel.ERROR;
        }
        return new ErrorLogConf(file, level);
    }
}
