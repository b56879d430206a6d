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
        self = withIfLocations(b, self);
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

    /**
     * Each {@code if} block of a location merges from the merged location, as nginx's nested loc_conf does, and
     * joins the location's {@link RewriteConf}, where the rewrite program finds it by index.
     */
    private static LocationConf withIfLocations(LocationBuilder b, LocationConf self) throws ConfigException {
        if (b.ifBlocks.isEmpty()) {
            return self;
        }
        List<LocationConf> ifs = new ArrayList<>(b.ifBlocks.size());
        ProxyConf outerProxy = self.modules().get(ProxyConf.class);
        for (LocationBuilder block : b.ifBlocks) {
            LocationConf inner = merge(block, self);
            ProxyConf proxy = inner.modules().get(ProxyConf.class);
            if (proxy.pass().isEmpty() && outerProxy.pass().isPresent()) {
                // the content handler stays the location's unless the block sets its own: nginx's
                // ngx_http_update_location_config keeps r->content_handler when the if's clcf->handler is NULL
                inner = withModules(inner, inner.modules().with(ProxyConf.class, proxy.withPass(outerProxy.pass())));
            }
            ifs.add(inner);
        }
        RewriteConf rewrite = self.modules().get(RewriteConf.class).withIfLocations(ifs);
        return withModules(self, self.modules().with(RewriteConf.class, rewrite));
    }

    private static LocationConf withModules(LocationConf c, ModuleConfs modules) {
        return new LocationConf(c.match(), c.pattern(), c.regex(), c.nested(), c.ret(), c.addHeaders(), c.root(),
                c.index(), c.types(), c.defaultType(), c.keepaliveTimeout(), c.keepaliveRequests(), c.source(),
                modules);
    }
}
