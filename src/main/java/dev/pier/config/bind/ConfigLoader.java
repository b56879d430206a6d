package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigFileSystem;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and binds a configuration file together with {@code -g} directives. As in nginx ({@code ngx_conf_param} runs
 * before the file is parsed) the {@code -g} directives come first in the main context, so a directive set in both
 * fails with {@code "daemon" directive is duplicate in /etc/pier/pier.conf:3}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param file      the main configuration file; relative includes resolve against its directory
     * @param prefix    the installation prefix relative pid, log and root paths resolve against
     * @param extraMain the {@code -g} directives, parsed with {@code ConfigParser.parseString}
     */
    public static PierConfig load(Path file, Path prefix, List<Directive> extraMain) throws ConfigException {
        return load(file, prefix, extraMain, ConfigFileSystem.disk());
    }

    /** {@link #load(Path, Path, List)} with the files read from {@code fs} (a recorder, or a master's snapshot). */
    public static PierConfig load(Path file, Path prefix, List<Directive> extraMain, ConfigFileSystem fs)
            throws ConfigException {
        return bind(ConfigParser.parseFile(file, null, fs), extraMain, prefix, file, BindEnvironment.system());
    }

    /** Binds already parsed directives; {@code -g} ones first. */
    public static PierConfig bind(List<Directive> fileMain, List<Directive> extraMain, Path prefix, Path file,
                                  BindEnvironment env) throws ConfigException {
        List<Directive> all = new ArrayList<>(extraMain);
        all.addAll(fileMain);
        return ConfigBinder.bind(all, prefix, file, env);
    }
}
