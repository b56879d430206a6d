package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;
import dev.pier.config.Source;
import dev.pier.config.bind.ConfigBinder;
import dev.pier.config.bind.PierConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and binds a configuration the same way in every role: the file, then {@code -g} directives appended. */
public final class Configs {
    private Configs() {
    }

    public static PierConfig load(Path file, Path prefix, Optional<String> global) throws ConfigException {
        List<Directive> main = new ArrayList<>(ConfigParser.parseFile(file, null));
        if (global.isPresent()) {
            main.addAll(ConfigParser.parseString(global.get(), Source.commandLine(), file.toAbsolutePath().getParent()));
        }
        return ConfigBinder.bind(main, prefix, file);
    }

    public static PierConfig load(Options o) throws ConfigException {
        return load(o.confFile(), o.prefix(), o.globalDirectives());
    }
}
