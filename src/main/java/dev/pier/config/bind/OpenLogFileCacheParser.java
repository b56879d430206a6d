package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.time.Duration;
import java.util.Optional;

/** {@code ngx_http_log_open_file_cache}: its parameters, defaults and messages. */
final class OpenLogFileCacheParser {
    private OpenLogFileCacheParser() {
    }

    static void parse(Directive d, Scope s) throws ConfigException {
        AccessLogModule.Builder b = s.module(AccessLogModule.INSTANCE);
        if (b.cache != null) {
            throw Errors.directive(d, "is duplicate");
        }
        long max = 0;
        long minUses = 1;
        long inactive = OpenLogFileCache.DEFAULT_INACTIVE.toSeconds();
        long valid = OpenLogFileCache.DEFAULT_VALID.toSeconds();
        boolean off = false;
        for (String a : d.args()) {
            long v;
            if (a.startsWith("max=")) {
                v = max = Values.number(a.substring(4));
                if (max <= 0) {
                    v = -1;
                }
            } else if (a.startsWith("inactive=")) {
                v = inactive = Values.sec(a.substring(9));
            } else if (a.startsWith("min_uses=")) {
                v = minUses = Values.number(a.substring(9));
            } else if (a.startsWith("valid=")) {
                v = valid = Values.sec(a.substring(6));
            } else if (a.equals("off")) {
                off = true;
                continue;
            } else {
                v = -1;
            }
            if (v < 0 || v > Integer.MAX_VALUE && (a.startsWith("max=") || a.startsWith("min_uses="))) {
                throw Errors.at(d, "invalid \"open_log_file_cache\" parameter " + Errors.q(a));
            }
        }
        if (off) {
            b.cache = Optional.empty(); // nginx: "off" wins whatever else is given
            return;
        }
        if (max == 0) {
            throw Errors.at(d, "\"open_log_file_cache\" must have \"max\" parameter");
        }
        b.cache = Optional.of(new OpenLogFileCache((int) max, Duration.ofSeconds(inactive), (int) minUses,
                Duration.ofSeconds(valid)));
    }
}
