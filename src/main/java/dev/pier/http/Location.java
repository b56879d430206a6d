package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link LocationConf} compiled for serving: module handlers, pre-encoded MIME types. */
public final class Location {
    private final LocationConf conf;
    private final PhaseHandler[] rewrite;
    private final PhaseHandler[] content;
    private final HeaderFilter[] headerFilters;
    private final Map<String, AsciiString> types;
    private final AsciiString defaultType;
    private final long keepaliveTimeoutMillis;

    private Location(LocationConf conf, List<PhaseHandler> rewrite, List<PhaseHandler> content,
                     List<HeaderFilter> headerFilters) {
        this.conf = conf;
        this.rewrite = rewrite.toArray(PhaseHandler[]::new);
        this.content = content.toArray(PhaseHandler[]::new);
        this.headerFilters = headerFilters.toArray(HeaderFilter[]::new);
        Map<String, AsciiString> t = new HashMap<>();
        conf.types().forEach((ext, type) -> t.put(ext, AsciiString.cached(type)));
        this.types = Map.copyOf(t);
        this.defaultType = AsciiString.cached(conf.defaultType());
        this.keepaliveTimeoutMillis = conf.keepaliveTimeout().toMillis();
    }

    public static Location compile(LocationConf conf, List<HttpModule> modules) throws ConfigException {
        List<PhaseHandler> rewrite = new ArrayList<>();
        List<PhaseHandler> content = new ArrayList<>();
        List<HeaderFilter> filters = new ArrayList<>();
        for (HttpModule m : modules) {
            m.rewrite(conf).ifPresent(rewrite::add);
            m.content(conf).ifPresent(content::add);
            m.headerFilter(conf).ifPresent(filters::add);
        }
        return new Location(conf, rewrite, content, filters);
    }

    public LocationConf conf() {
        return conf;
    }

    PhaseHandler[] rewriteHandlers() {
        return rewrite;
    }

    PhaseHandler[] contentHandlers() {
        return content;
    }

    HeaderFilter[] headerFilters() {
        return headerFilters;
    }

    /** {@code $document_root}: the {@code root} (or, with {@code alias}, the alias) of this location. */
    public String documentRoot() {
        return conf.root().toString();
    }

    /** {@code $realpath_root}: {@link #documentRoot} with symbolic links resolved; not found if it does not exist. */
    public String realpathRoot() {
        try {
            return conf.root().toRealPath().toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code $request_filename}: the file this request's URI maps to (nginx's {@code ngx_http_map_uri_to_path}). */
    public String requestFilename(Exchange ex) {
        String root = documentRoot();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + ex.uri();
    }

    public long keepaliveTimeoutMillis() {
        return keepaliveTimeoutMillis;
    }

    /** The MIME type for a URI by its extension (lowercased, as nginx does), else {@code default_type}. */
    public AsciiString contentType(String uri) {
        int dot = uri.lastIndexOf('.');
        if (dot < 0 || dot < uri.lastIndexOf('/')) {
            return defaultType;
        }
        String ext = uri.substring(dot + 1);
        AsciiString t = types.get(ext);
        if (t == null) {
            t = types.get(ext.toLowerCase(java.util.Locale.ROOT));
        }
        return t == null ? defaultType : t;
    }

    @Override
    public String toString() {
        return conf.match() + " " + conf.pattern();
    }
}
