package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import dev.pier.master.ConfigReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads and binds a configuration the same way in every role: {@code -g} directives, then the file (nginx's order). */
public final class Configs {
    private Configs() {
    }

    public static PierConfig load(Path file, Path prefix, Optional<String> global) throws ConfigException {
        return ConfigReader.read(file, prefix, global.map(List::of).orElse(List.of()));
    }

    public static PierConfig load(Options o) throws ConfigException {
        return load(o.confFile(), o.prefix(), o.globalDirectives());
    }
}
