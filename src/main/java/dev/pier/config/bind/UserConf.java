package dev.pier.config.bind;

import dev.pier.config.Source;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code user USER [GROUP]}: who worker processes run as when the master runs as root. Names only: they are looked
 * up (getpwnam, getgrnam) where the process model is decided, so binding stays free of system calls.
 *
 * @param source where the directive was written (errors and the "ignored" warning name it)
 */
public record UserConf(String user, Optional<String> group, Source source) {
    public UserConf {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(source, "source");
        if (user.isEmpty() || group.map(String::isEmpty).orElse(false)) {
            throw new IllegalArgumentException("empty user or group name");
        }
    }
}
