package dev.pier.http;

import dev.pier.config.bind.CoreLocConf;

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
    private final PhaseHandler[] preaccess;
    private final PhaseHandler[] content;
    private final HeaderFilter[] headerFilters;
    private final LogHandler[] logHandlers;
    private final Map<String, AsciiString> types;
    private final AsciiString defaultType;
    private final long keepaliveTimeoutMillis;
    private final CoreLocConf core;
    private final long clientMaxBodySize;
    private final dev.pier.config.bind.LimitsConf limits;
    private final dev.pier.config.bind.UriConf uri;
    private final dev.pier.config.bind.FileIoConf fileIo;
    /** {@code Keep-Alive: timeout=N} from {@code keepalive_timeout}'s second argument; null = not sent. */
    private final AsciiString keepaliveHeader;
    private final Map<Integer, CompiledErrorPage> errorPages;
    private final Template alias;
    private final AsciiString serverHeader;
    /** A regex location's named groups ({@code (?<name>...)}), set as variables when it matches. */
    private final Map<String, Integer> captureNames;
    /** This level's {@code error_log} lines (the main log when none is set up the tree). */
    private final dev.pier.log.ErrorLog errorLog;

    /** One {@code error_page} target compiled; {@code target} is null for {@code @name}. */
    record CompiledErrorPage(dev.pier.config.bind.ErrorPage page, Template target) {
    }

    private Location(LocationConf conf, List<PhaseHandler> rewrite, List<PhaseHandler> preaccess,
                     List<PhaseHandler> content,
                     List<HeaderFilter> headerFilters, List<LogHandler> logHandlers, dev.pier.log.ErrorLog errorLog) {
        this.conf = conf;
        this.errorLog = errorLog;
        this.rewrite = rewrite.toArray(PhaseHandler[]::new);
        this.preaccess = preaccess.toArray(PhaseHandler[]::new);
        this.content = content.toArray(PhaseHandler[]::new);
        this.headerFilters = headerFilters.toArray(HeaderFilter[]::new);
        this.logHandlers = logHandlers.toArray(LogHandler[]::new);
        Map<String, AsciiString> t = new HashMap<>();
        conf.types().forEach((ext, type) -> t.put(ext, AsciiString.cached(type)));
        this.types = Map.copyOf(t);
        this.defaultType = AsciiString.cached(conf.defaultType());
        this.keepaliveTimeoutMillis = conf.keepaliveTimeout().toMillis();
        this.core = conf.modules().get(CoreLocConf.class);
        long kh = conf.modules().get(dev.pier.config.bind.KeepaliveConf.class).headerSeconds();
        this.keepaliveHeader = kh > 0 ? AsciiString.cached("timeout=" + kh) : null;
        this.uri = conf.modules().get(dev.pier.config.bind.UriConf.class);
        this.limits = conf.modules().get(dev.pier.config.bind.LimitsConf.class);
        this.fileIo = conf.modules().get(dev.pier.config.bind.FileIoConf.class);
        this.clientMaxBodySize = conf.modules().get(dev.pier.config.bind.ClientBodyConf.class).clientMaxBodySize();
        Map<Integer, CompiledErrorPage> pages = new HashMap<>();
        for (var page : core.errorPages()) {
            CompiledErrorPage c = new CompiledErrorPage(page, compileQuietly(page.target(), conf));
            for (int code : page.codes()) {
                pages.putIfAbsent(code, c);
            }
        }
        this.errorPages = Map.copyOf(pages);
        this.alias = core.alias().map(a -> compileQuietly(a, conf)).orElse(null);
        this.serverHeader = core.serverTokens() ? PierVersion.SERVER : AsciiString.cached("pier");
        this.captureNames = conf.regex().map(dev.pier.config.bind.CaptureRegex::names).orElse(Map.of());
    }

    /** Targets were checked by the binder; a registry without the name is a programming error. */
    private static Template compileQuietly(String text, LocationConf conf) {
        try {
            return Template.compile(text, conf.source());
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    Map<String, Integer> captureNames() {
        return captureNames;
    }

    /** Timeouts, header limits and lingering close of this level. */
    public dev.pier.config.bind.LimitsConf limits() {
        return limits;
    }

    /** ngx_http_core_module settings of this level (error pages, internal, try_files, alias, tokens). */
    public CoreLocConf core() {
        return core;
    }

    CompiledErrorPage errorPage(int status) {
        return errorPages.get(status);
    }

    /** {@code Server} header value: {@code pier/VERSION}, or {@code pier} with {@code server_tokens off}. */
    AsciiString serverHeader() {
        return serverHeader;
    }

    public boolean hasAlias() {
        return alias != null;
    }

    public static Location compile(LocationConf conf, List<HttpModule> modules) throws ConfigException {
        return compile(conf, modules, new AccessLogs(dev.pier.log.ErrorLog.stderr(dev.pier.config.bind.LogLevel.ERROR)));
    }

    public static Location compile(LocationConf conf, List<HttpModule> modules, AccessLogs files)
            throws ConfigException {
        List<LogHandler> log = new ArrayList<>();
        List<PhaseHandler> rewrite = new ArrayList<>();
        List<PhaseHandler> preaccess = new ArrayList<>();
        List<PhaseHandler> content = new ArrayList<>();
        List<HeaderFilter> filters = new ArrayList<>();
        for (HttpModule m : modules) {
            m.rewrite(conf, nested -> compile(nested, modules, files)).ifPresent(rewrite::add);
            m.preaccess(conf).ifPresent(preaccess::add);
            m.content(conf).ifPresent(content::add);
            m.headerFilter(conf).ifPresent(filters::add);
            m.log(conf, files).ifPresent(log::add);
        }
        return new Location(conf, rewrite, preaccess, content, filters, log, errorLog(conf, files.errors()));
    }

    /** nginx opens a level's error log at configuration time: a file that cannot be opened fails the compile. */
    private static dev.pier.log.ErrorLog errorLog(LocationConf conf, dev.pier.log.ErrorLog main)
            throws ConfigException {
        java.util.List<dev.pier.config.bind.ErrorLogConf> own;
        try {
            own = conf.modules().get(dev.pier.config.bind.LevelErrorLogs.class).logs();
        } catch (IllegalArgumentException e) {
            return main; // a level built without the module (hand-made fixtures)
        }
        try {
            return main.forLevel(own);
        } catch (java.io.IOException e) {
            throw new ConfigException("open() " + e.getMessage(), conf.source());
        }
    }

    /** The error log of request processing in this location (nginx's {@code clcf->error_log}). */
    public dev.pier.log.ErrorLog errorLog() {
        return errorLog;
    }

    public LocationConf conf() {
        return conf;
    }

    PhaseHandler[] rewriteHandlers() {
        return rewrite;
    }

    PhaseHandler[] preaccessHandlers() {
        return preaccess;
    }

    PhaseHandler[] contentHandlers() {
        return content;
    }

    HeaderFilter[] headerFilters() {
        return headerFilters;
    }

    LogHandler[] logHandlers() {
        return logHandlers;
    }

    /** {@code $document_root}: the {@code root} of this location (with {@code alias}: the alias as written). */
    public String documentRoot() {
        return alias != null ? alias.text() : conf.root().toString();
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
        return mapUriToPath(ex, ex.uri());
    }

    /**
     * nginx's {@code ngx_http_map_uri_to_path}: {@code root} + URI; with {@code alias} the location's prefix is
     * replaced by the alias, and in a regex location the alias (with its captures) is the whole path.
     */
    public String mapUriToPath(Exchange ex, String uri) {
        if (alias == null) {
            String root = conf.root().toString();
            return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + uri;
        }
        String a = alias.render(ex);
        if (conf.regex().isPresent()) {
            return a;
        }
        String pattern = conf.pattern();
        return a + (uri.length() >= pattern.length() ? uri.substring(pattern.length()) : "");
    }

    /**
     * {@link #mapUriToPath} for reading a file: {@code null} when the path holds a NUL or has more {@code ..} segments
     * than the root or alias as written. A parsed URI has none, so extra ones come from the concatenation itself: the
     * alias off-by-slash ({@code location /i { alias /w/; }} maps {@code /i../x} to {@code /w/../x}, which nginx
     * serves) or a capture or rewritten URI carrying {@code ..}. Pier refuses those (the caller answers 404).
     */
    public String mapUriToFile(Exchange ex, String uri) {
        String p = mapUriToPath(ex, uri);
        return p.indexOf('\0') >= 0 || dotDotSegments(p) > dotDotSegments(documentRoot()) ? null : p;
    }

    /** How many {@code ..} segments a '/'-separated path has. */
    static int dotDotSegments(String path) {
        int n = 0;
        int from = 0;
        while ((from = path.indexOf("..", from)) >= 0) {
            int end = from + 2;
            if ((from == 0 || path.charAt(from - 1) == '/') && (end == path.length() || path.charAt(end) == '/')) {
                n++;
            }
            from = end;
        }
        return n;
    }

    /** {@code merge_slashes}, {@code absolute_redirect}, {@code port_in_redirect}. */
    public dev.pier.config.bind.UriConf uri() {
        return uri;
    }

    /** {@code sendfile}, {@code limit_rate}, {@code output_buffers} and the rest of the file I/O directives. */
    public dev.pier.config.bind.FileIoConf fileIo() {
        return fileIo;
    }

    /** {@code client_max_body_size}: whether a body of {@code bytes} is too large here (0 = no limit). */
    public boolean bodyTooLarge(long bytes) {
        return clientMaxBodySize != 0 && bytes > clientMaxBodySize;
    }

    /** The {@code Keep-Alive} header value for kept-alive responses, or null. */
    AsciiString keepaliveHeader() {
        return keepaliveHeader;
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
