package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;
import dev.pier.config.Source;
import dev.pier.config.bind.ConfigLoader;
import dev.pier.config.bind.PierConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and binds the configuration file plus the {@code -g} directives, as every role does (nginx's order). */
public final class ConfigReader {
    private ConfigReader() {
    }

    public static PierConfig read(Path file, Path prefix, List<String> globalDirectives) throws ConfigException {
        List<Directive> extra = new ArrayList<>();
        for (String g : globalDirectives) {
            extra.addAll(ConfigParser.parseString(g, Source.commandLine(), file.toAbsolutePath().getParent()));
        }
        return ConfigLoader.load(file, prefix, extra);
    }
}
