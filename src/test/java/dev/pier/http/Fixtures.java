package dev.pier.http;

import dev.pier.config.Source;
import dev.pier.config.bind.AddHeader;
import dev.pier.config.bind.HttpConf;
import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.Listener;
import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.config.bind.LocationMatch;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.ReturnConf;
import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.VirtualAddress;
import dev.pier.log.ErrorLog;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Hand-built bound config records for tests (the binder produces them in production). */
public final class Fixtures {
    public static final Source SRC = new Source(Path.of("/test/pier.conf"), 1);
    public static final ErrorLog QUIET = ErrorLog.stderr(LogLevel.EMERG);

    private Fixtures() {
    }

    public static Loc server() {
        return new Loc(LocationMatch.PREFIX, "");
    }

    public static Loc prefix(String p) {
        return new Loc(LocationMatch.PREFIX, p);
    }

    public static Loc exact(String p) {
        return new Loc(LocationMatch.EXACT, p);
    }

    public static Loc noRegex(String p) {
        return new Loc(LocationMatch.PREFIX_NO_REGEX, p);
    }

    public static Loc regex(String p) {
        return new Loc(LocationMatch.REGEX, p);
    }

    public static Loc regexCaseless(String p) {
        return new Loc(LocationMatch.REGEX_CASELESS, p);
    }

    /** A mutable location builder; children inherit nothing (tests set what they need). */
    public static final class Loc {
        final LocationMatch match;
        final String pattern;
        final List<Loc> nested = new ArrayList<>();
        Optional<ReturnConf> ret = Optional.empty();
        final List<AddHeader> addHeaders = new ArrayList<>();
        // null = inherit from the enclosing level, as the binder's merge does
        Path root;
        List<String> index;
        Map<String, String> types;
        String defaultType;
        Duration keepaliveTimeout;
        Integer keepaliveRequests;
        ModuleConfs modules;

        Loc(LocationMatch match, String pattern) {
            this.match = match;
            this.pattern = pattern;
        }

        public Loc nest(Loc... children) {
            nested.addAll(List.of(children));
            return this;
        }

        public Loc ret(int code, String text) {
            ret = Optional.of(new ReturnConf(code, Optional.ofNullable(text)));
            return this;
        }

        public Loc header(String name, String value, boolean always) {
            addHeaders.add(new AddHeader(name, value, always));
            return this;
        }

        public Loc root(Path p) {
            root = p;
            return this;
        }

        public Loc index(String... names) {
            index = List.of(names);
            return this;
        }

        /** Module configurations for this level (and, unless they set their own, its children). */
        public Loc modules(ModuleConfs m) {
            modules = m;
            return this;
        }

        public Loc defaultType(String t) {
            defaultType = t;
            return this;
        }

        public Loc keepalive(Duration timeout, int requests) {
            keepaliveTimeout = timeout;
            keepaliveRequests = requests;
            return this;
        }

        public LocationConf build() {
            return build(null);
        }

        private static <T> T pick(T own, T inherited, T dflt) {
            return own != null ? own : inherited != null ? inherited : dflt;
        }

        LocationConf build(LocationConf parent) {
            Path r = pick(root, parent == null ? null : parent.root(), Path.of("/nonexistent-root"));
            List<String> ix = pick(index, parent == null ? null : parent.index(), List.of("index.html"));
            Map<String, String> ty = pick(types, parent == null ? null : parent.types(),
                    Map.of("html", "text/html", "txt", "text/plain", "css", "text/css"));
            String dt = pick(defaultType, parent == null ? null : parent.defaultType(), "application/octet-stream");
            Duration kt = pick(keepaliveTimeout, parent == null ? null : parent.keepaliveTimeout(),
                    Duration.ofSeconds(75));
            int kr = pick(keepaliveRequests, parent == null ? null : parent.keepaliveRequests(), 1000);
            List<AddHeader> ah = !addHeaders.isEmpty() || parent == null ? addHeaders : parent.addHeaders();
            Optional<Pattern> re = switch (match) {
                case REGEX -> Optional.of(Pattern.compile(pattern));
                case REGEX_CASELESS -> Optional.of(Pattern.compile(pattern, Pattern.CASE_INSENSITIVE));
                default -> Optional.empty();
            };
            // hand-built levels carry no client_max_body_size unless a test sets one (big-upload tests rely on it)
            ModuleConfs mods = modules != null ? modules : parent == null ? ConfModules.defaults(r)
                    .with(dev.pier.config.bind.ClientBodyConf.class, new dev.pier.config.bind.ClientBodyConf(0))
                    : parent.modules();
            LocationConf self = new LocationConf(match, pattern, re, List.of(), ret, ah, r, ix, ty, dt, kt, kr, SRC,
                    mods);
            return new LocationConf(match, pattern, re, nested.stream().map(n -> n.build(self)).toList(), ret, ah,
                    r, ix, ty, dt, kt, kr, SRC, mods);
        }
    }

    public static ListenAddress.Inet wildcard(int port) {
        try {
            return new ListenAddress.Inet(InetAddress.getByName("0.0.0.0"), port);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    public static ServerConf serverConf(Loc level, String... names) {
        return new ServerConf(List.of(names), List.of(wildcard(80)), level.build(), SRC);
    }

    /** One wildcard listener on port 80 carrying every server; the first is the default. */
    public static HttpConf http(ServerConf... servers) {
        VirtualAddress va = new VirtualAddress(wildcard(80), servers[0], List.of(servers));
        Listener l = new Listener(ListenSpec.of(wildcard(80)), List.of(va));
        return new HttpConf(List.of(servers), List.of(l));
    }

    /**
     * The http block of configuration text, parsed and bound as the file {@code dir/pier.conf} (relative paths are
     * under {@code dir}) and compiled with {@code log} as the error log.
     */
    public static HttpRuntime compile(String conf, Path dir, ErrorLog log) throws dev.pier.config.ConfigException {
        Path file = dir.resolve("pier.conf");
        return HttpRuntime.compile(dev.pier.config.bind.ConfigBinder.bind(
                dev.pier.config.ConfigParser.parseText(conf, file, null), dir, file).http(), log);
    }

    public static HttpRuntime runtime(ServerConf... servers) {
        try {
            return HttpRuntime.compile(http(servers), QUIET);
        } catch (dev.pier.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
