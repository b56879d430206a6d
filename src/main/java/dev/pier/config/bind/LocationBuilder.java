package dev.pier.config.bind;

import dev.pier.config.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Location-level settings of one level (http, server or location) while binding. Unset values are {@code null} or an
 * unset {@link Slot} and are filled from the parent by {@link LocationMerger}.
 */
final class LocationBuilder {
    final LocationMatch match;
    final String pattern;
    final Optional<Pattern> regex;
    final Source source;
    final List<LocationBuilder> nested = new ArrayList<>();
    /** The implicit locations of this level's {@code if} blocks, in order (a location's only). */
    final List<LocationBuilder> ifBlocks = new ArrayList<>();

    /** nginx runs the first return of a level; later ones are unreachable but legal. */
    ReturnConf ret;
    /** null: none at this level, inherit the parent's list. */
    List<AddHeader> addHeaders;
    final Slot<Path> root = new Slot<>();
    /** null: inherit; index lines add up within a level. */
    List<String> index;
    /** null: inherit; several types blocks in one level add up, a later extension wins. */
    Map<String, String> types;
    final Slot<String> defaultType = new Slot<>();
    final Slot<Duration> keepaliveTimeout = new Slot<>();
    final Slot<Integer> keepaliveRequests = new Slot<>();
    /** Each {@link ConfModule}'s builder at this level, created when a directive first touches it. */
    final Map<ConfModule<?, ?>, Object> modules = new HashMap<>();

    LocationBuilder(LocationMatch match, String pattern, Optional<Pattern> regex, Source source) {
        this.match = match;
        this.pattern = pattern;
        this.regex = regex;
        this.source = source;
    }

    /** The location settings of an http or server block: {@code PREFIX ""}. */
    static LocationBuilder level(Source source) {
        return new LocationBuilder(LocationMatch.PREFIX, "", Optional.empty(), source);
    }

    /**
     * nginx's {@code ngx_http_rewrite_if} inside a location: a nameless location with the enclosing one's name
     * ({@code clcf->name = pclcf->name; clcf->noname = 1}), added to this level's {@link #ifBlocks}.
     */
    LocationBuilder newIfBlock(Source source) {
        LocationBuilder b = new LocationBuilder(match, pattern, regex, source);
        ifBlocks.add(b);
        return b;
    }

    @SuppressWarnings("unchecked")
    <B> B module(ConfModule<B, ?> m) {
        return (B) modules.computeIfAbsent(m, k -> m.newBuilder());
    }

    List<AddHeader> addHeadersForWrite() {
        if (addHeaders == null) {
            addHeaders = new ArrayList<>();
        }
        return addHeaders;
    }

    List<String> indexForWrite() {
        if (index == null) {
            index = new ArrayList<>();
        }
        return index;
    }

    Map<String, String> typesForWrite() {
        if (types == null) {
            types = new LinkedHashMap<>();
        }
        return types;
    }
}
