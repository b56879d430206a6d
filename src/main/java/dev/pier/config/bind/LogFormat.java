package dev.pier.config.bind;

import java.util.Objects;

/**
 * {@code log_format NAME [escape=default|json|none] STRING...}: the strings joined, variables kept as written.
 *
 * @param escape how variable values are escaped in a line
 */
public record LogFormat(String name, Escape escape, String text) {
    /** nginx's predefined format. */
    public static final LogFormat COMBINED = new LogFormat("combined", Escape.DEFAULT,
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                    + "\"$http_referer\" \"$http_user_agent\"");

    /**
     * {@code default}: '"', '\' and bytes below 0x20 or above 0x7e as {@code \xHH}, a missing value as {@code -};
     * {@code json}: JSON string escapes, a missing value as nothing; {@code none}: as is.
     */
    public enum Escape {
        DEFAULT, JSON, NONE
    }

    public LogFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(escape, "escape");
        Objects.requireNonNull(text, "text");
    }
}
