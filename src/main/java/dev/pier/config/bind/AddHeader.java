package dev.pier.config.bind;

import java.util.Objects;

/** {@code add_header NAME VALUE [always]}; {@code value} is kept as written, variables included. */
public record AddHeader(String name, String value, boolean always) {
    public AddHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
