package dev.pier.http;

import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.VirtualAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Server selection by {@code Host} for one address ({@code ngx_http_find_virtual_server}): exact name, then the
 * longest leading wildcard ({@code *.example.com}; {@code .example.com} also matches {@code example.com}), then the
 * longest trailing wildcard ({@code www.example.*}), then regex names in order of appearance, else the default server.
 * Built once per generation; lookups only read hash maps and walk the host's dots.
 */
public final class SelectionTable {
    private record RegexName(Pattern pattern, VirtualServer server) {
    }

    private final Map<String, VirtualServer> exact;
    private final Map<String, VirtualServer> leading;   // "*.example.com" and ".example.com" stored as "example.com"
    private final Map<String, VirtualServer> leadingSelf; // ".example.com" also matches "example.com" itself
    private final Map<String, VirtualServer> trailing;  // "www.example.*" stored as "www.example"
    private final RegexName[] regexes;
    private final VirtualServer defaultServer;

    private SelectionTable(Map<String, VirtualServer> exact, Map<String, VirtualServer> leading,
                           Map<String, VirtualServer> leadingSelf, Map<String, VirtualServer> trailing,
                           List<RegexName> regexes, VirtualServer defaultServer) {
        this.exact = Map.copyOf(exact);
        this.leading = Map.copyOf(leading);
        this.leadingSelf = Map.copyOf(leadingSelf);
        this.trailing = Map.copyOf(trailing);
        this.regexes = regexes.toArray(RegexName[]::new);
        this.defaultServer = defaultServer;
    }

    /** Builds the table of one address; {@code compiled} gives each server's shared compiled form. */
    public static SelectionTable build(VirtualAddress va, Function<ServerConf, VirtualServer> compiled) {
        Map<String, VirtualServer> exact = new HashMap<>();
        Map<String, VirtualServer> leading = new HashMap<>();
        Map<String, VirtualServer> leadingSelf = new HashMap<>();
        Map<String, VirtualServer> trailing = new HashMap<>();
        List<RegexName> regexes = new ArrayList<>();
        for (ServerConf s : va.servers()) {
            VirtualServer vs = compiled.apply(s);
            for (String raw : s.serverNames()) {
                if (raw.startsWith("~")) {
                    regexes.add(new RegexName(Pattern.compile(raw.substring(1)), vs));
                    continue;
                }
                // nginx: the first server to declare a name keeps it ("conflicting server name" is a warning)
                String name = raw.toLowerCase(Locale.ROOT);
                if (name.startsWith("*.")) {
                    leading.putIfAbsent(name.substring(2), vs);
                } else if (name.startsWith(".")) {
                    leading.putIfAbsent(name.substring(1), vs);
                    leadingSelf.putIfAbsent(name.substring(1), vs);
                } else if (name.endsWith(".*")) {
                    trailing.putIfAbsent(name.substring(0, name.length() - 2), vs);
                } else {
                    exact.putIfAbsent(name, vs);
                }
            }
        }
        return new SelectionTable(exact, leading, leadingSelf, trailing, regexes, compiled.apply(va.defaultServer()));
    }

    public VirtualServer defaultServer() {
        return defaultServer;
    }

    /**
     * The server for a normalised host ({@link HostName#normalize}); {@code ""} for a request without Host, which
     * finds a server named {@code ""} if there is one.
     */
    public VirtualServer find(String host) {
        VirtualServer s = exact.get(host);
        if (s != null) {
            return s;
        }
        if (host.isEmpty()) {
            return defaultServer;
        }
        if (!leading.isEmpty()) {
            s = leadingSelf.get(host);
            if (s != null) {
                return s;
            }
            for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                s = leading.get(host.substring(dot + 1));
                if (s != null) {
                    return s;
                }
            }
        }
        if (!trailing.isEmpty()) {
            for (int dot = host.lastIndexOf('.'); dot > 0; dot = host.lastIndexOf('.', dot - 1)) {
                s = trailing.get(host.substring(0, dot));
                if (s != null) {
                    return s;
                }
            }
        }
        for (RegexName r : regexes) {
            if (r.pattern.matcher(host).find()) {
                return r.server;
            }
        }
        return defaultServer;
    }
}
