package dev.pier.http;

import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.VirtualAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;

class SelectionTableTest {
    private static final Map<String, ServerConf> SERVERS = new HashMap<>();
    private static final SelectionTable TABLE;

    static {
        ServerConf dflt = named("default", "_");
        ServerConf exact = named("exact", "example.com", "www.example.com");
        ServerConf star = named("star", "*.example.com");
        ServerConf deepStar = named("deepStar", "*.deep.example.com");
        ServerConf dot = named("dot", ".example.org");
        ServerConf tail = named("tail", "www.example.*");
        ServerConf shortTail = named("shortTail", "www.*");
        ServerConf re1 = named("re1", "~^api\\d+\\.example\\.net$");
        ServerConf re2 = named("re2", "~\\.net$");
        ServerConf empty = named("empty", "");
        ServerConf upper = named("upper", "MiXeD.example.io");
        List<ServerConf> all = List.of(dflt, exact, star, deepStar, dot, tail, shortTail, re1, re2, empty, upper);
        VirtualAddress va = new VirtualAddress(Fixtures.wildcard(80), dflt, all);
        Map<ServerConf, VirtualServer> compiled = new java.util.IdentityHashMap<>();
        TABLE = SelectionTable.build(va, s -> compiled.computeIfAbsent(s, c -> {
            try {
                return VirtualServer.compile(c, List.of());
            } catch (dev.pier.config.ConfigException e) {
                throw new AssertionError(e);
            }
        }));
    }

    private static ServerConf named(String id, String... names) {
        ServerConf s = serverConf(server(), names);
        SERVERS.put(id, s);
        return s;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "example.com, exact",                // exact beats every wildcard
            "www.example.com, exact",            // exact beats *.example.com and www.example.*
            "a.example.com, star",
            "a.b.example.com, star",             // a leading wildcard covers every depth
            "x.deep.example.com, deepStar",      // the longest leading wildcard wins
            "example.org, dot",                  // .example.org also matches the bare name
            "a.example.org, dot",
            "www.example.co.uk, tail",           // leading wildcards first, then trailing
            "www.example.net, tail",             // trailing wildcard beats a regex
            "www.other.net, shortTail",
            "api12.example.net, re1",            // regexes in order of appearance
            "x.example.net, re2",
            "mixed.example.io, upper",           // config names are matched case-insensitively
            "unknown.test, default",
            "'', empty",                         // no Host: the server named \"\"
    })
    void picksServer(String host, String expected) {
        assertThat(TABLE.find(host).conf()).isSameAs(SERVERS.get(expected));
    }
}
