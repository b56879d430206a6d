package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a configuration together with {@code -g} directives. As in nginx ({@code ngx_conf_param} runs before the
 * file is parsed) the {@code -g} directives come first in the main context, so a directive set in both fails with
 * {@code "daemon" directive is duplicate} at the file's line.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** @param fileMain the parsed top-level directives of {@code file}; @param extraMain the parsed {@code -g} text */
    public static PierConfig bind(List<Directive> fileMain, List<Directive> extraMain, Path prefix, Path file,
                                  BindEnvironment env) throws ConfigException {
        List<Directive> all = new ArrayList<>(extraMain);
        all.addAll(fileMain);
        return ConfigBinder.bind(all, prefix, file, env);
    }
}
