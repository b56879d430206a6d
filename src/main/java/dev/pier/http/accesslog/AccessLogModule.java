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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The log phase: each of the location's {@code access_log} lines gets its formatted request line. */
public final class AccessLogModule implements HttpModule {

    private record Target(AccessLogFile file, LogLine line, Template condition) {
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
            targets.add(new Target(files.file(t.path(), t.bufferSize(), t.flush().toMillis()),
                    LogLine.compile(t.format(), loc.source()), cond));
        }
        Target[] all = targets.toArray(Target[]::new);
        return Optional.of(ex -> {
            for (Target t : all) {
                if (t.condition() != null) {
                    String v = t.condition().render(ex);
                    if (v.isEmpty() || v.equals("0")) {
                        continue; // nginx's if=: "0" or empty skips the line
                    }
                }
                t.file().write(t.line().render(ex));
            }
        });
    }
}
