package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;
import dev.pier.config.Source;
import dev.pier.config.bind.ConfigLoader;
import dev.pier.config.bind.PierConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads and binds a configuration the same way in every role: {@code -g} directives, then the file (nginx's order). */
public final class Configs {
    private Configs() {
    }

    public static PierConfig load(Path file, Path prefix, Optional<String> global) throws ConfigException {
        List<Directive> extra = global.isPresent()
                ? ConfigParser.parseString(global.get(), Source.commandLine(), file.toAbsolutePath().getParent())
                : List.of();
        return ConfigLoader.load(file, prefix, extra);
    }

    public static PierConfig load(Options o) throws ConfigException {
        return load(o.confFile(), o.prefix(), o.globalDirectives());
    }
}
