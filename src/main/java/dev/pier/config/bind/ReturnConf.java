package dev.pier.config.bind;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code return CODE [TEXT]}, {@code return CODE URL} (301/302/303/307/308) or {@code return URL} (302).
 * {@code text} is kept as written, variables included; for redirect codes it is the Location.
 */
public record ReturnConf(int code, Optional<String> text) {
    public ReturnConf {
        if (code < 0 || code > 999) {
            throw new IllegalArgumentException("code " + code);
        }
        Objects.requireNonNull(text, "text");
    }

    public boolean isRedirect() {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
