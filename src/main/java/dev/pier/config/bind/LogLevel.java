package dev.pier.config.bind;

import java.util.Locale;
import java.util.Optional;

/** nginx's error log levels, least severe first. */
public enum LogLevel {
    DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, EMERG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LogLevel> parse(String s) {
        for (LogLevel l : values()) {
            if (l.label().equals(s)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
