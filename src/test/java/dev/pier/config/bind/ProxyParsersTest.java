package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;
import dev.pier.config.Source;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyParsersTest {
    private static final Source SRC = new Source(Path.of("/etc/pier/pier.conf"), 7);

    private static Directive d(String name, String... args) {
        return new Directive(name, List.of(args), null, SRC);
    }

    @Test
    void proxyPassSplitsHostPortAndUri() throws ConfigException {
        var p = ProxyPassParser.parse(d("proxy_pass", "http://backend:8080/remote/"), LocationMatch.PREFIX, "/name/");
        assertThat(p.host()).isEqualTo("backend");
        assertThat(p.port()).isEqualTo(8080);
        assertThat(p.hostHeader()).isEqualTo("backend:8080"); // $proxy_host keeps a non-default port
        assertThat(p.uri()).hasValue("/remote/");
        var q = ProxyPassParser.parse(d("proxy_pass", "http://backend"), LocationMatch.REGEX, "\\.php$");
        assertThat(q.uri()).isEmpty();
        assertThat(q.hostHeader()).isEqualTo("backend");
        assertThat(ProxyPassParser.parse(d("proxy_pass", "http://b:80"), LocationMatch.PREFIX, "/").hostHeader())
                .isEqualTo("b");
    }

    @Test
    void proxyPassErrorsUseNginxText() {
        assertThatThrownBy(() -> ProxyPassParser.parse(d("proxy_pass", "http://b/x"), LocationMatch.REGEX, "x"))
                .hasMessage("\"proxy_pass\" cannot have URI part in location given by regular expression, or inside "
                        + "named location, or inside \"if\" statement, or inside \"limit_except\" block in "
                        + "/etc/pier/pier.conf:7");
        assertThatThrownBy(() -> ProxyPassParser.parse(d("proxy_pass", "ftp://b"), LocationMatch.PREFIX, "/"))
                .hasMessage("invalid URL prefix in \"ftp://b\" in /etc/pier/pier.conf:7");
        assertThatThrownBy(() -> ProxyPassParser.parse(d("proxy_pass", "http://b:99999"), LocationMatch.PREFIX, "/"))
                .hasMessage("invalid port in upstream \"b:99999\" in /etc/pier/pier.conf:7");
    }

    @Test
    void proxyPassResolvesANamedUpstreamOrAnImplicitOne() throws ConfigException {
        UpstreamConf named = new UpstreamConf("backend", List.of(), new UpstreamConf.Balancing.LeastConn(),
                UpstreamConf.Keepalive.NONE, false, SRC);
        var p = ProxyPassParser.parse(d("proxy_pass", "http://backend"), LocationMatch.PREFIX, "/");
        assertThat(ProxyPassParser.resolve(p, Map.of("backend", named), h -> List.of(), d("proxy_pass")).upstream())
                .containsSame(named);
        var lit = ProxyPassParser.parse(d("proxy_pass", "http://127.0.0.1:8080"), LocationMatch.PREFIX, "/");
        UpstreamConf implicit = ProxyPassParser.resolve(lit, Map.of(), h -> List.of(), d("proxy_pass"))
                .upstream().orElseThrow();
        assertThat(implicit.implicit()).isTrue();
        assertThat(implicit.servers().getFirst().addresses())
                .containsExactly(new InetSocketAddress("127.0.0.1", 8080));
        var unknown = ProxyPassParser.parse(d("proxy_pass", "http://nowhere"), LocationMatch.PREFIX, "/");
        assertThatThrownBy(() -> ProxyPassParser.resolve(unknown, Map.of(), h -> {
            throw new java.net.UnknownHostException(h);
        }, d("proxy_pass"))).hasMessage("host not found in upstream \"nowhere\" in /etc/pier/pier.conf:7");
    }

    @Test
    void serverLineParameters() throws ConfigException {
        var s = UpstreamServerParser.parse(d("server", "127.0.0.1:8081", "weight=5", "max_fails=3",
                "fail_timeout=30s", "max_conns=10", "backup"), h -> List.of());
        assertThat(s.name()).isEqualTo("127.0.0.1:8081");
        assertThat(s.weight()).isEqualTo(5);
        assertThat(s.maxFails()).isEqualTo(3);
        assertThat(s.failTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxConns()).isEqualTo(10);
        assertThat(s.backup()).isTrue();
        assertThat(s.down()).isFalse();
        var defaults = UpstreamServerParser.parse(d("server", "127.0.0.2"), h -> List.of());
        assertThat(defaults.addresses()).containsExactly(new InetSocketAddress("127.0.0.2", 80));
        assertThat(defaults.weight()).isEqualTo(1);
        assertThat(defaults.maxFails()).isEqualTo(1);
        assertThat(defaults.failTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> UpstreamServerParser.parse(d("server", "127.0.0.1", "weight=0"), h -> List.of()))
                .hasMessage("invalid parameter \"weight=0\" in /etc/pier/pier.conf:7");
        assertThatThrownBy(() -> UpstreamServerParser.parse(d("server", "127.0.0.1", "fast"), h -> List.of()))
                .hasMessage("invalid parameter \"fast\" in /etc/pier/pier.conf:7");
    }

    @Test
    void unixDomainSockets() throws ConfigException {
        var p = ProxyPassParser.parse(d("proxy_pass", "http://unix:/run/app.sock:/api/"), LocationMatch.PREFIX, "/a/");
        assertThat(p.host()).isEqualTo("unix:/run/app.sock");
        assertThat(p.hostHeader()).isEqualTo("localhost"); // nginx sends Host: localhost to a unix: socket
        assertThat(p.uri()).hasValue("/api/");
        var bare = ProxyPassParser.parse(d("proxy_pass", "http://unix:/run/app.sock"), LocationMatch.REGEX, "x");
        assertThat(bare.uri()).isEmpty(); // no URI part: allowed in a regex location
        UpstreamConf implicit = ProxyPassParser.resolve(p, Map.of(), h -> {
            throw new AssertionError("a socket path is never resolved");
        }, d("proxy_pass")).upstream().orElseThrow();
        assertThat(implicit.servers().getFirst().addresses())
                .containsExactly(java.net.UnixDomainSocketAddress.of("/run/app.sock"));
        var s = UpstreamServerParser.parse(d("server", "unix:/run/b.sock", "weight=2"), h -> List.of());
        assertThat(s.addresses()).containsExactly(java.net.UnixDomainSocketAddress.of("/run/b.sock"));
        assertThat(s.weight()).isEqualTo(2);
        assertThatThrownBy(() -> ProxyPassParser.parse(d("proxy_pass", "http://unix:/s:/x"), LocationMatch.REGEX, "x"))
                .hasMessageStartingWith("\"proxy_pass\" cannot have URI part");
        assertThatThrownBy(() -> UpstreamServerParser.parse(d("server", "unix:/" + "x".repeat(120)), h -> List.of()))
                .hasMessage("too long path in the unix domain socket in /etc/pier/pier.conf:7");
        assertThatThrownBy(() -> UpstreamServerParser.parse(d("server", "unix:"), h -> List.of()))
                .hasMessage("no path in the unix domain socket in /etc/pier/pier.conf:7");
    }
}
