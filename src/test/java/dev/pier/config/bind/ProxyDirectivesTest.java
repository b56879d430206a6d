package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** The proxy and upstream directive tables: contexts, merge rules, upstream resolution and nginx's error texts. */
class ProxyDirectivesTest {

    private static ProxyConf proxy(LocationConf l) {
        return l.modules().get(ProxyConf.class);
    }

    @Test
    void upstreamBlockDefinedAfterItsUseIsResolved() throws ConfigException {
        PierConfig c = bind("""
                http {
                    server { location / { proxy_pass http://backend; } }
                    upstream backend {
                        least_conn;
                        server 127.0.0.1:8081 weight=3 max_fails=2 fail_timeout=5s;
                        server 127.0.0.1:8082 backup;
                        keepalive 16;
                        keepalive_timeout 30s;
                    }
                }""");
        ProxyConf.ProxyPass p = proxy(c.http().servers().getFirst().root().nested().getFirst()).pass().orElseThrow();
        UpstreamConf up = p.upstream().orElseThrow();
        assertThat(up).isSameAs(c.http().modules().get(UpstreamBlocks.class).byName().get("backend"));
        assertThat(up.balancing()).isEqualTo(new UpstreamConf.Balancing.LeastConn());
        assertThat(up.servers()).hasSize(2);
        UpstreamConf.Server s1 = up.servers().getFirst();
        assertThat(s1.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 8081));
        assertThat(s1.weight()).isEqualTo(3);
        assertThat(s1.maxFails()).isEqualTo(2);
        assertThat(s1.failTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(up.servers().get(1).backup()).isTrue();
        assertThat(up.keepalive()).isEqualTo(new UpstreamConf.Keepalive(16, 1000, Duration.ofSeconds(30),
                Duration.ofHours(1)));
        assertThat(p.hostHeader()).isEqualTo("backend");
    }

    @Test
    void implicitUpstreamsAreSharedByHostAndPort() throws ConfigException {
        ServerConf s = bind("""
                http { server {
                    location /a/ { proxy_pass http://127.0.0.1:9000/x/; }
                    location /b/ { proxy_pass http://127.0.0.1:9000; }
                    location /c/ { proxy_pass http://localhost:9000; }
                } }""").http().servers().getFirst();
        UpstreamConf a = proxy(s.root().nested().get(0)).pass().orElseThrow().upstream().orElseThrow();
        UpstreamConf b = proxy(s.root().nested().get(1)).pass().orElseThrow().upstream().orElseThrow();
        UpstreamConf c = proxy(s.root().nested().get(2)).pass().orElseThrow().upstream().orElseThrow();
        assertThat(a).isSameAs(b);
        assertThat(a.implicit()).isTrue();
        assertThat(c.servers().getFirst().addresses()).hasSize(2); // every address localhost resolves to
    }

    @Test
    void scalarsInheritAndListsInheritOnlyIntoLevelsWithoutThem() throws ConfigException {
        ServerConf s = bind("""
                http {
                    proxy_read_timeout 5s;
                    proxy_set_header X-A a;
                    proxy_set_header X-B b;
                    proxy_hide_header X-Secret;
                    proxy_next_upstream error http_502;
                    server {
                        proxy_http_version 1.1;
                        location /inherit/ { proxy_pass http://127.0.0.1:9000; }
                        location /own/ {
                            proxy_pass http://127.0.0.1:9000;
                            proxy_set_header X-C c;
                            proxy_next_upstream off;
                            proxy_redirect off;
                            proxy_buffers 4 8k;
                            proxy_cookie_path /one/ /two/;
                        }
                    }
                }""").http().servers().getFirst();
        ProxyConf inherit = proxy(s.root().nested().get(0));
        ProxyConf own = proxy(s.root().nested().get(1));
        assertThat(proxy(s.root()).pass()).isEmpty(); // proxy_pass belongs to its location
        assertThat(inherit.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(inherit.httpVersion()).isEqualTo("1.1");
        assertThat(inherit.setHeaders()).extracting(ProxyConf.SetHeader::name).containsExactly("X-A", "X-B");
        assertThat(inherit.hideHeaders()).containsExactly("x-secret");
        assertThat(inherit.nextUpstream()).containsExactlyInAnyOrder(ProxyConf.NextUpstream.ERROR,
                ProxyConf.NextUpstream.HTTP_502);
        assertThat(inherit.redirects()).containsExactly(new ProxyConf.Redirect.Default());
        assertThat(own.setHeaders()).extracting(ProxyConf.SetHeader::name).containsExactly("X-C"); // not X-A, X-B
        assertThat(own.nextUpstream()).isEmpty();
        assertThat(own.redirects()).isEmpty();
        assertThat(own.bufferBytes()).isEqualTo(4 * 8192);
        assertThat(own.cookiePaths()).containsExactly(new ProxyConf.CookieRewrite("/one/", "/two/"));
        assertThat(own.hideHeaders()).containsExactly("x-secret");
        assertThat(ProxyConf.DEFAULT.nextUpstream()).isEqualTo(Set.of(ProxyConf.NextUpstream.ERROR,
                ProxyConf.NextUpstream.TIMEOUT));
    }

    @Test
    void hashKeysAndHeaderValuesHaveTheirVariablesChecked() throws ConfigException {
        PierConfig c = bind("""
                http {
                    upstream u { hash $request_uri consistent; server 127.0.0.1:1; server 127.0.0.1:2; }
                    server { location / { proxy_pass http://u; proxy_set_header X-Up $upstream_addr; } }
                }""");
        assertThat(c.http().modules().get(UpstreamBlocks.class).byName().get("u").balancing())
                .isEqualTo(new UpstreamConf.Balancing.Hash("$request_uri", true));
        fails("http { upstream u { hash $nosuch; server 127.0.0.1:1; } }", "unknown \"nosuch\" variable", 1);
        fails("http { server { location / { proxy_set_header X $nosuch; } } }", "unknown \"nosuch\" variable", 1);
    }

    @Test
    void errorsFollowNginx() {
        fails("http { server { proxy_pass http://127.0.0.1:1; } }", "\"proxy_pass\" directive is not allowed here", 1);
        fails("http { server { location / { proxy_pass http://127.0.0.1:1; proxy_pass http://127.0.0.1:2; } } }",
                "\"proxy_pass\" directive is duplicate", 1);
        fails("http { server { location ~ \\.php$ { proxy_pass http://127.0.0.1:1/x; } } }",
                "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named "
                        + "location, or inside \"if\" statement, or inside \"limit_except\" block", 1);
        fails("http {\n server { location / {\n proxy_pass http://nowhere.test; } } }",
                "host not found in upstream \"nowhere.test\"", 3);
        fails("http { server { location / { proxy_pass http://u:8080; } } upstream u { server 127.0.0.1:1; } }",
                "upstream \"u\" may not have port 8080", 1);
        fails("http { upstream u { server 127.0.0.1:1; } upstream u { server 127.0.0.1:2; } }",
                "duplicate upstream \"u\"", 1);
        fails("http {\n upstream u {\n } }", "no servers are inside upstream", 2);
        fails("http { upstream u { server 127.0.0.1:1 weight=0; } }", "invalid parameter \"weight=0\"", 1);
        fails("http { upstream u { ip_hash; server 127.0.0.1:1 backup; } }", "invalid parameter \"backup\"", 1);
        fails("http { upstream u { hash $uri x; server 127.0.0.1:1; } }", "invalid parameter \"x\"", 1);
        fails("http { upstream u { random one; server 127.0.0.1:1; } }", "invalid parameter \"one\"", 1);
        fails("http { upstream u { keepalive 0; server 127.0.0.1:1; } }",
                "invalid value \"0\" in \"keepalive\" directive", 1);
        fails("http { upstream u { keepalive 1; keepalive 2; server 127.0.0.1:1; } }",
                "\"keepalive\" directive is duplicate", 1);
        fails("http { upstream u { location / { } server 127.0.0.1:1; } }",
                "\"location\" directive is not allowed here", 1);
        fails("http { upstream u { nosuch; } }", "unknown directive \"nosuch\"", 1);
        fails("http { least_conn; }", "\"least_conn\" directive is not allowed here", 1);
        fails("http { proxy_http_version 2.0; }", "invalid value \"2.0\"", 1);
        fails("http { proxy_next_upstream error sometimes; }", "invalid value \"sometimes\"", 1);
        fails("http { proxy_ignore_headers X-Nothing; }", "invalid value \"X-Nothing\"", 1);
        fails("http { proxy_buffers 1 4k; }", "there must be at least 2 \"proxy_buffers\"", 1);
        fails("http { proxy_buffers 8 x; }", "\"proxy_buffers\" directive invalid value", 1);
        fails("http { proxy_read_timeout 1x; }", "\"proxy_read_timeout\" directive invalid value", 1);
        fails("http { proxy_buffering maybe; }",
                "invalid value \"maybe\" in \"proxy_buffering\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { proxy_redirect sometimes; }", "invalid parameter \"sometimes\"", 1);
        fails("http { proxy_set_header X; }", "invalid number of arguments in \"proxy_set_header\" directive", 1);
        fails("http { server { location / { proxy_pass ftp://b; } } }", "invalid URL prefix in \"ftp://b\"", 1);
    }

    @Test
    void unsupportedFormsAreRefusedRatherThanMisread() {
        fails("http { proxy_redirect ~^/(a /b; }", "pcre2_compile() failed: Unclosed group in \"^/(a\"", 1);
        fails("http { proxy_redirect ~^/(a) /$1$host; }",
                "\"proxy_redirect\" with variables is not supported by Pier yet", 1);
    }

    @Test
    void httpsUrlsDefaultToPort443AndTheTlsAndTempDirectivesBind() throws ConfigException {
        ServerConf s = bind("""
                http {
                    proxy_ssl_verify on;
                    proxy_max_temp_file_size 0;
                    server {
                        location /a/ { proxy_pass https://127.0.0.1/x/; proxy_ssl_server_name on;
                                       proxy_ssl_name backend.test; proxy_ssl_protocols TLSv1.3;
                                       proxy_ssl_verify_depth 3; proxy_ssl_session_reuse off;
                                       proxy_temp_file_write_size 32k; }
                        location /b/ { proxy_pass https://127.0.0.1:8443; }
                    }
                }""").http().servers().getFirst();
        LocationConf a = s.root().nested().get(0);
        ProxyConf.ProxyPass pa = proxy(a).pass().orElseThrow();
        assertThat(pa.ssl()).isTrue();
        assertThat(pa.port()).isEqualTo(443);
        assertThat(pa.hostHeader()).isEqualTo("127.0.0.1");
        assertThat(pa.upstream().orElseThrow().servers().getFirst().addresses())
                .containsExactly(new InetSocketAddress("127.0.0.1", 443));
        ProxyConf.ProxyPass pb = proxy(s.root().nested().get(1)).pass().orElseThrow();
        assertThat(pb.hostHeader()).isEqualTo("127.0.0.1:8443");
        ProxySslConf ssl = a.modules().get(ProxySslConf.class);
        assertThat(ssl).isEqualTo(new ProxySslConf(true, java.util.Optional.of("backend.test"), true,
                java.util.Optional.empty(), 3, Set.of("TLSv1.3"), false));
        assertThat(s.root().nested().get(1).modules().get(ProxySslConf.class).verify()).as("inherited").isTrue();
        assertThat(a.modules().get(ProxyTempConf.class)).isEqualTo(new ProxyTempConf(0, 32 * 1024));
        LocationConf levels = bind("http { proxy_temp_path /t 1 2; server { location / { } } }").http().servers()
                .getFirst().root().nested().getFirst();
        assertThat(levels.modules().get(BodyTempConf.class).proxyTempLevels()).containsExactly(1, 2);
        assertThat(levels.modules().get(BodyTempConf.class).proxyTempPath()).isEqualTo(java.nio.file.Path.of("/t"));
        fails("http { proxy_ssl_protocols TLSv9; }", "invalid value \"TLSv9\"", 1);
        fails("http { proxy_ssl_protocols SSLv2; }",
                "no protocol of \"proxy_ssl_protocols\" is available (the JDK has no SSLv2)", 1);
        fails("http { proxy_ssl_trusted_certificate /nonexistent/ca.pem; }",
                "cannot load certificate \"/nonexistent/ca.pem\"", 1);
        fails("http { proxy_max_temp_file_size 1g; }", "\"proxy_max_temp_file_size\" directive invalid value", 1);
    }

    @Test
    void everyVariableOfTheModuleIsKnownToTheBinder() {
        for (String v : List.of("upstream_addr", "upstream_status", "upstream_response_time",
                "upstream_connect_time", "upstream_header_time", "proxy_host", "proxy_port",
                "proxy_add_x_forwarded_for", "upstream_http_x_app")) {
            assertThat(VariableCatalog.known(v)).as(v).isTrue();
        }
    }
}
