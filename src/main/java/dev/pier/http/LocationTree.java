package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.LocationMatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A server's locations compiled for nginx's search ({@code ngx_http_core_find_location}): at each level an exact
 * {@code =} match wins; else the longest matching prefix is taken and its nested locations are searched the same way;
 * unless that prefix is {@code ^~}, this level's regexes are then tried in config order (so regexes nested in the
 * matched prefix come first) and the first match wins, its own nested locations searched too; else the longest prefix
 * stays; else the server level serves the request.
 */
public final class LocationTree {
    private static final int DECLINED = 0;
    private static final int AGAIN = 1;
    private static final int OK = 2;

    private record Node(Location loc, Pattern regex, boolean noRegex, Level nested) {
    }

    private record Level(Map<String, Node> exact, Node[] prefixes, Node[] regexes) {
    }

    private final Location serverLevel;
    private final Level top;
    private final Map<String, Location> named;

    private LocationTree(Location serverLevel, Level top, Map<String, Location> named) {
        this.serverLevel = serverLevel;
        this.top = top;
        this.named = named;
    }

    /** Compiles the server-level {@link LocationConf} and every nested location with the given modules. */
    public static LocationTree compile(LocationConf serverLevel, List<HttpModule> modules) throws ConfigException {
        return compile(serverLevel, modules, new AccessLogs(dev.pier.log.ErrorLog.stderr(
                dev.pier.config.bind.LogLevel.ERROR)));
    }

    public static LocationTree compile(LocationConf serverLevel, List<HttpModule> modules, AccessLogs files)
            throws ConfigException {
        Map<String, Location> named = new HashMap<>();
        for (LocationConf c : serverLevel.nested()) {
            if (c.match() == LocationMatch.NAMED) {
                named.put(c.pattern(), Location.compile(c, modules, files));
            }
        }
        return new LocationTree(Location.compile(serverLevel, modules, files),
                level(serverLevel.nested(), modules, files), Map.copyOf(named));
    }

    /** {@code location @name}, or {@code null}. */
    public Location named(String name) {
        return named.get(name);
    }

    private static Level level(List<LocationConf> confs, List<HttpModule> modules, AccessLogs files)
            throws ConfigException {
        if (confs.isEmpty()) {
            return null;
        }
        Map<String, Node> exact = new HashMap<>();
        List<Node> prefixes = new ArrayList<>();
        List<Node> regexes = new ArrayList<>();
        for (LocationConf c : confs) {
            if (c.match() == LocationMatch.NAMED) {
                continue; // reached by name only (see named())
            }
            Node node = new Node(Location.compile(c, modules, files), c.regex().orElse(null),
                    c.match() == LocationMatch.PREFIX_NO_REGEX, level(c.nested(), modules, files));
            switch (c.match()) {
                case NAMED -> throw new IllegalStateException("named locations are skipped above");
                case EXACT -> exact.putIfAbsent(c.pattern(), node);
                case PREFIX, PREFIX_NO_REGEX -> prefixes.add(node);
                case REGEX, REGEX_CASELESS -> {
                    if (node.regex == null) {
                        throw new ConfigException("location \"" + c.pattern() + "\" has no compiled regex",
                                c.source());
                    }
                    regexes.add(node);
                }
            }
        }
        prefixes.sort(Comparator.comparingInt((Node p) -> p.loc.conf().pattern().length()).reversed());
        return new Level(Map.copyOf(exact), prefixes.toArray(Node[]::new), regexes.toArray(Node[]::new));
    }

    public Location serverLevel() {
        return serverLevel;
    }

    /** The location serving {@code uri} (decoded, normalised), or the server level when none matches. */
    public Location find(String uri) {
        return find(uri, null);
    }

    /**
     * Like {@link #find(String)}; when a regex location wins and {@code captures} is given, {@code captures[0]}
     * receives its groups ({@code $0}..{@code $N}) for {@code alias} and templates.
     */
    public Location find(String uri, String[][] captures) {
        Location[] found = {serverLevel};
        if (top != null) {
            find(top, uri, found, captures);
        }
        return found[0];
    }

    private static int find(Level level, String uri, Location[] found, String[][] captures) {
        Node exact = level.exact.get(uri);
        if (exact != null) {
            found[0] = exact.loc;
            return OK;
        }
        int rc = DECLINED;
        boolean noRegex = false;
        for (Node p : level.prefixes) {
            if (uri.startsWith(p.loc.conf().pattern())) {
                found[0] = p.loc;
                rc = AGAIN;
                noRegex = p.noRegex;
                if (p.nested != null) {
                    rc = find(p.nested, uri, found, captures);
                    if (rc == OK) {
                        return OK;
                    }
                }
                break;
            }
        }
        if (!noRegex) {
            for (Node r : level.regexes) {
                java.util.regex.Matcher m = r.regex.matcher(uri);
                if (m.find()) {
                    found[0] = r.loc;
                    if (captures != null) {
                        String[] g = new String[m.groupCount() + 1];
                        for (int i = 0; i < g.length; i++) {
                            g[i] = m.group(i);
                        }
                        captures[0] = g;
                    }
                    if (r.nested != null) {
                        find(r.nested, uri, found, captures);
                    }
                    return OK;
                }
            }
        }
        return rc;
    }
}
