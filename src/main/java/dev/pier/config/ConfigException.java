package dev.pier.config;

import java.util.Optional;

/**
 * A configuration error. {@link #getMessage()} reads like nginx's: {@code unknown directive "lsten" in /etc/pier.conf:12}.
 * The CLI prefixes it with {@code pier: [emerg] }.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private final transient Source source;

    public ConfigException(String detail, Source source) {
        super(source == null ? detail : detail + " in " + source);
        this.detail = detail;
        this.source = source;
    }

    public ConfigException(String detail) {
        this(detail, null);
    }

    /** The message without the {@code in file:line} suffix. */
    public String detail() {
        return detail;
    }

    public Optional<Source> source() {
        return Optional.ofNullable(source);
    }
}
