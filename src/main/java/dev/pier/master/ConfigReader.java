package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigFileSystem;
import dev.pier.config.ConfigParser;
import dev.pier.config.ConfigSnapshot;
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

    /** Reads from disk; the result remembers every byte it was read from ({@link PierConfig#source()}). */
    public static PierConfig read(Path file, Path prefix, List<String> globalDirectives) throws ConfigException {
        ConfigSnapshot.Recorder recorder = new ConfigSnapshot.Recorder(ConfigFileSystem.disk());
        return read(file, prefix, globalDirectives, recorder).withSource(recorder.snapshot());
    }

    /** Reads what a master read, from its snapshot: a worker's configuration is byte for byte its master's. */
    public static PierConfig replay(ConfigSnapshot snapshot, Path file, Path prefix, List<String> globalDirectives)
            throws ConfigException {
        return read(file, prefix, globalDirectives, snapshot).withSource(snapshot);
    }

    private static PierConfig read(Path file, Path prefix, List<String> globalDirectives, ConfigFileSystem fs)
            throws ConfigException {
        List<Directive> extra = new ArrayList<>();
        for (String g : globalDirectives) {
            extra.addAll(ConfigParser.parseString(g, Source.commandLine(), file.toAbsolutePath().getParent(), fs));
        }
        return ConfigLoader.load(file, prefix, extra, fs);
    }
}
