package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nginx's merge_loc_conf, done once: each level takes every setting it left unset from its merged parent, starting
 * from Pier's defaults above the http block. Exceptions, as in nginx: {@code return} belongs to its own level only;
 * {@code add_header} and {@code types} are inherited as a whole list or map, only when the level has none.
 */
final class LocationMerger {
    private LocationMerger() {
    }

    static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(75);
    static final int DEFAULT_KEEPALIVE_REQUESTS = 1000;

    /** The values a level inherits when nothing above sets them. */
    static LocationConf defaults(Path prefix, Source source) {
        return new LocationConf(LocationMatch.PREFIX, "", Optional.empty(), List.of(), Optional.empty(), List.of(),
                prefix.resolve("html"), List.of("index.html"), MimeDirectives.DEFAULT_TYPES, "text/plain",
                DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_KEEPALIVE_REQUESTS, source, ConfModules.defaults(prefix));
    }

    static LocationConf merge(LocationBuilder b, LocationConf parent) throws ConfigException {
        // merge this level without its children first: the children inherit from the merged values
        LocationConf self = new LocationConf(b.match, b.pattern, b.regex, List.of(), Optional.ofNullable(b.ret),
                b.addHeaders != null ? b.addHeaders : parent.addHeaders(),
                b.root.orElse(parent.root()),
                b.index != null ? b.index : parent.index(),
                b.types != null ? b.types : parent.types(),
                b.defaultType.orElse(parent.defaultType()),
                b.keepaliveTimeout.orElse(parent.keepaliveTimeout()),
                b.keepaliveRequests.orElse(parent.keepaliveRequests()),
                b.source, ConfModules.merge(b.modules, parent.modules()));
        if (b.nested.isEmpty()) {
            return self;
        }
        List<LocationConf> nested = new ArrayList<>(b.nested.size());
        for (LocationBuilder child : b.nested) {
            nested.add(merge(child, self));
        }
        return new LocationConf(self.match(), self.pattern(), self.regex(), nested, self.ret(), self.addHeaders(),
                self.root(), self.index(), self.types(), self.defaultType(), self.keepaliveTimeout(),
                self.keepaliveRequests(), self.source(), self.modules());
    }
}
