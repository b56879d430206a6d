package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code log_format} (ngx_http_log_module), http level only. A format must be declared before an {@code access_log}
 * uses it, as in nginx, so {@link AccessLogModule} reads this module's http-level builder while binding.
 */
public final class LogFormatModule implements ConfModule<Map<String, LogFormat>, LogFormats> {
    public static final LogFormatModule INSTANCE = new LogFormatModule();

    private LogFormatModule() {
    }

    @Override
    public Class<LogFormats> confType() {
        return LogFormats.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(simple("log_format", Arity.TWO_OR_MORE, LogFormatModule::logFormat, HTTP));
    }

    @Override
    public Map<String, LogFormat> newBuilder() {
        Map<String, LogFormat> m = new LinkedHashMap<>();
        m.put(LogFormat.COMBINED.name(), LogFormat.COMBINED);
        return m;
    }

    @Override
    public LogFormats merge(Map<String, LogFormat> own, LogFormats parent) {
        Map<String, LogFormat> m = new LinkedHashMap<>(parent.byName());
        m.putAll(own);
        return new LogFormats(m);
    }

    @Override
    public LogFormats defaults(Path prefix) {
        return new LogFormats(Map.of(LogFormat.COMBINED.name(), LogFormat.COMBINED));
    }

    /** {@code ngx_http_log_set_format}. */
    private static void logFormat(Directive d, Scope s) throws ConfigException {
        Map<String, LogFormat> formats = s.httpModule(INSTANCE);
        String name = d.args().getFirst();
        if (formats.containsKey(name)) {
            throw Errors.at(d, "duplicate \"log_format\" name " + Errors.q(name));
        }
        int first = 1;
        LogFormat.Escape escape = LogFormat.Escape.DEFAULT;
        String a = d.args().get(1);
        if (a.startsWith("escape=")) {
            escape = switch (a.substring(7)) {
                case "default" -> LogFormat.Escape.DEFAULT;
                case "json" -> LogFormat.Escape.JSON;
                case "none" -> LogFormat.Escape.NONE;
                default -> throw Errors.at(d, "unknown log format escaping " + Errors.q(a.substring(7)));
            };
            first = 2;
        }
        String text = String.join("", d.args().subList(first, d.args().size()));
        VariableCatalog.check(text, d.source());
        formats.put(name, new LogFormat(name, escape, text));
    }
}
