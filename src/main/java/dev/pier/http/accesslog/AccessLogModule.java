package dev.pier.http.accesslog;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.AccessLogConf;
import dev.pier.config.bind.AccessLogTarget;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.AccessLogFile;
import dev.pier.http.AccessLogs;
import dev.pier.http.HttpModule;
import dev.pier.http.LogHandler;
import dev.pier.http.Template;

import dev.pier.config.bind.OpenLogFileCache;
import dev.pier.http.Exchange;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The log phase: each of the location's {@code access_log} lines gets its formatted request line. */
public final class AccessLogModule implements HttpModule {

    /** {@code file} is null for a path with variables: {@code path} renders it per request. */
    private record Target(AccessLogFile file, Template path, LogLine line, Template condition) {
    }

    @Override
    public Optional<LogHandler> log(LocationConf loc, AccessLogs files) throws ConfigException {
        List<AccessLogTarget> logs = loc.modules().get(AccessLogConf.class).logs();
        if (logs.isEmpty()) {
            return Optional.empty();
        }
        List<Target> targets = new ArrayList<>();
        for (AccessLogTarget t : logs) {
            Template cond = t.condition().isPresent() ? Template.compile(t.condition().get(), loc.source()) : null;
            if (t.template().isPresent()) {
                targets.add(new Target(null, Template.compile(t.template().get(), loc.source()),
                        LogLine.compile(t.format(), loc.source()), cond));
            } else {
                targets.add(new Target(files.file(t.path(), t.bufferSize(), t.flush().toMillis()), null,
                        LogLine.compile(t.format(), loc.source()), cond));
            }
        }
        Target[] all = targets.toArray(Target[]::new);
        Optional<OpenLogFileCache> cache = loc.modules().get(AccessLogConf.class).openLogFileCache();
        return Optional.of(ex -> {
            for (Target t : all) {
                if (t.condition() != null) {
                    String v = t.condition().render(ex);
                    if (v.isEmpty() || v.equals("0")) {
                        continue; // nginx's if=: "0" or empty skips the line
                    }
                }
                if (t.file() != null) {
                    t.file().write(t.line().render(ex));
                } else {
                    writeDynamic(files, cache, t, ex);
                }
            }
        });
    }

    private static void writeDynamic(AccessLogs files, Optional<OpenLogFileCache> cache, Target t, Exchange ex) {
        String p = t.path().render(ex);
        Path path;
        try {
            path = Path.of(p);
        } catch (InvalidPathException e) {
            ex.log().crit("open() \"" + p + "\" failed (" + e.getReason() + ")" + ex.logContext());
            return;
        }
        files.writeDynamic(path, cache, t.line().render(ex));
    }
}
