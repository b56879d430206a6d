package dev.pier.config.bind;

import java.util.Map;

/** Every {@code log_format} of the http block by name, {@code combined} included. */
public record LogFormats(Map<String, LogFormat> byName) {
    public LogFormats {
        byName = Map.copyOf(byName);
    }
}
