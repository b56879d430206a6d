package dev.pier.config.bind;

import dev.pier.config.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A location after merging with every enclosing level (http → server → location → nested location), so runtime code
 * reads finished values. The server level itself is a {@code LocationConf} with {@code PREFIX ""} whose {@code nested}
 * are the server's top-level locations; it is what serves a request no location matches, as in nginx.
 *
 * @param regex        compiled pattern for {@code REGEX}/{@code REGEX_CASELESS}, empty otherwise
 * @param ret          this level's own {@code return} (never inherited: it runs in the rewrite phase of its own level)
 * @param addHeaders   inherited from the parent only when this level has none, as nginx does
 * @param types        extension (lower case) → MIME type, from {@code types} (inherited as a whole)
 * @param modules      every {@link ConfModule}'s merged configuration at this level
 */
public record LocationConf(LocationMatch match, String pattern, Optional<Pattern> regex, List<LocationConf> nested,
                           Optional<ReturnConf> ret, List<AddHeader> addHeaders, Path root, List<String> index,
                           Map<String, String> types, String defaultType, Duration keepaliveTimeout,
                           int keepaliveRequests, Source source, ModuleConfs modules) {
    public LocationConf {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(regex, "regex");
        nested = List.copyOf(nested);
        Objects.requireNonNull(ret, "ret");
        addHeaders = List.copyOf(addHeaders);
        Objects.requireNonNull(root, "root");
        index = List.copyOf(index);
        types = Map.copyOf(types);
        Objects.requireNonNull(defaultType, "defaultType");
        Objects.requireNonNull(keepaliveTimeout, "keepaliveTimeout");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(modules, "modules");
    }
}
