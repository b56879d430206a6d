package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** http/server/location directives: good values, bad values with nginx's texts, and locations. */
class HttpDirectivesTest {

    private static ServerConf server(String body) throws ConfigException {
        return bind("http { server { " + body + " } }").http().servers().getFirst();
    }

    private static LocationConf loc(String serverBody) throws ConfigException {
        return server(serverBody).root().nested().getFirst();
    }

    @Test
    void serverNames() throws ConfigException {
        assertThat(server("").serverNames()).containsExactly("");
        assertThat(server("server_name Example.COM *.example.com .example.org ~^(?<x>.+)\\.net$;\nserver_name b;")
                .serverNames()).containsExactly("example.com", "*.example.com", ".example.org", "~^(?<x>.+)\\.net$",
                "b");
        fails("http { server { server_name *x; } }", "server name \"*x\" is invalid", 1);
        fails("http { server { server_name .; } }", "server name \".\" is invalid", 1);
        fails("http { server { server_name ~; } }", "empty regex in server name \"~\"", 1);
    }

    @Test
    void locationModifiers() throws ConfigException {
        List<LocationConf> l = server("""
                location / { }
                location = /exact { }
                location ^~ /static/ { }
                location ~ \\.php$ { }
                location ~* \\.JPG$ { }
                location =/glued { }
                location ~*\\.png$ { }
                """).root().nested();
        assertThat(l).extracting(LocationConf::match).containsExactly(LocationMatch.PREFIX, LocationMatch.EXACT,
                LocationMatch.PREFIX_NO_REGEX, LocationMatch.REGEX, LocationMatch.REGEX_CASELESS,
                LocationMatch.EXACT, LocationMatch.REGEX_CASELESS);
        assertThat(l).extracting(LocationConf::pattern).containsExactly("/", "/exact", "/static/", "\\.php$",
                "\\.JPG$", "/glued", "\\.png$");
        assertThat(l.get(3).regex().orElseThrow().matcher("/a.php").find()).isTrue();
        assertThat(l.get(3).regex().orElseThrow().matcher("/a.PHP").find()).isFalse();
        assertThat(l.get(4).regex().orElseThrow().matcher("/a.jpg").find()).as("~* is caseless").isTrue();
        assertThat(l.get(0).regex()).isEmpty();
    }

    @Test
    void locationErrors() {
        fails("http { server {\nlocation ! /x { }\n} }", "invalid location modifier \"!\"", 2);
        fails("http { server { location ~ \"(\" { } } }",
                "pcre2_compile() failed: Unclosed group in \"(\" at \"\"", 1);
        fails("http { server {\nlocation = / {\n location /x { }\n}\n} }",
                "location \"/x\" cannot be inside the exact location \"/\"", 3);
        fails("http { server { location /a { location /b { } } } }", "location \"/b\" is outside location \"/a\"", 1);
        fails("http { server {\nlocation /a { }\nlocation /a { }\n} }", "duplicate location \"/a\"", 3);
        fails("http { server { location /a { } location ^~ /a { } } }", "duplicate location \"/a\"", 1);
        fails("http { server { location = /a { } location = /a { } } }", "duplicate location \"/a\"", 1);
        fails("http { server { location /a { location @x { } } } }", "named location \"@x\" can be on the server level only", 1);
    }

    @Test
    void nestedLocationsAsNginxAllows() throws ConfigException {
        LocationConf outer = loc("""
                location /a/ {
                    location /a/b/ { }
                    location ~ \\.txt$ { }
                    location = /a/exact { }
                }
                location /x { }
                location = /x { }
                location ~ a { }
                location ~ a { }
                """);
        assertThat(outer.nested()).extracting(LocationConf::pattern).containsExactly("/a/b/", "\\.txt$", "/a/exact");
    }

    @Test
    void returnForms() throws ConfigException {
        assertThat(loc("location / { return 404; }").ret()).contains(new ReturnConf(404, Optional.empty()));
        assertThat(loc("location / { return 200 \"hello $host\"; }").ret())
                .contains(new ReturnConf(200, Optional.of("hello $host")));
        assertThat(loc("location / { return 301 https://example.com$request_uri; }").ret())
                .contains(new ReturnConf(301, Optional.of("https://example.com$request_uri")));
        assertThat(loc("location / { return http://a/; }").ret()).contains(new ReturnConf(302, Optional.of("http://a/")));
        assertThat(loc("location / { return https://a/; }").ret()).get().extracting(ReturnConf::code).isEqualTo(302);
        assertThat(loc("location / { return $scheme://a/; }").ret()).get().extracting(ReturnConf::code).isEqualTo(302);
        assertThat(loc("location / { return 403; return 404; }").ret()).as("the first return runs")
                .contains(new ReturnConf(403, Optional.empty()));
        assertThat(server("return 444;").root().ret()).contains(new ReturnConf(444, Optional.empty()));
    }

    @Test
    void returnErrors() {
        fails("http { server { return 1000; } }", "invalid return code \"1000\"", 1);
        fails("http { server { return ftp://x; } }", "invalid return code \"ftp://x\"", 1);
        fails("http { server { return http://x text; } }", "invalid return code \"http://x\"", 1);
        fails("http { server { return -1; } }", "invalid return code \"-1\"", 1);
    }

    @Test
    void addHeader() throws ConfigException {
        assertThat(loc("location / { add_header X-A 1; add_header X-B \"$host\" always; add_header X-C \"\"; }")
                .addHeaders()).containsExactly(new AddHeader("X-A", "1", false), new AddHeader("X-B", "$host", true),
                new AddHeader("X-C", "", false));
        fails("http { add_header X-A 1 sometimes; }", "invalid parameter \"sometimes\"", 1);
    }

    @Test
    void rootIndexTypes() throws ConfigException {
        LocationConf l = loc("""
                location / {
                    root www;
                    index a.html;
                    index b.html /fallback.html;
                    types { text/html html HTM; application/json json; }
                    types { text/plain htm; }
                    default_type application/octet-stream;
                }""");
        assertThat(l.root()).isEqualTo(Path.of("/opt/pier/www"));
        assertThat(l.index()).containsExactly("a.html", "b.html", "/fallback.html");
        assertThat(l.types()).isEqualTo(Map.of("html", "text/html", "htm", "text/plain", "json", "application/json"));
        assertThat(l.defaultType()).isEqualTo("application/octet-stream");
        assertThat(loc("location / { root /srv; }").root()).isEqualTo(Path.of("/srv"));
        fails("http { index \"\"; }", "index \"\" in \"index\" directive is invalid", 1);
        fails("http {\nroot a;\nroot b;\n}", "\"root\" directive is duplicate", 3);
        fails("http { default_type a; default_type b; }", "\"default_type\" directive is duplicate", 1);
        fails("http { types {\n text/html { }\n} }", "unexpected \"{\"", 2);
    }

    @Test
    void keepalive() throws ConfigException {
        LocationConf l = loc("location / { keepalive_timeout 1m 50s; keepalive_requests 10; }");
        assertThat(l.keepaliveTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(l.keepaliveRequests()).isEqualTo(10);
        assertThat(loc("location / { keepalive_timeout 500ms; }").keepaliveTimeout()).isEqualTo(Duration.ofMillis(500));
        fails("http { keepalive_timeout 10x; }", "\"keepalive_timeout\" directive invalid value", 1);
        fails("http { keepalive_timeout 10 5ms; }", "\"keepalive_timeout\" directive invalid value", 1);
        fails("http { keepalive_timeout 1; keepalive_timeout 2; }", "\"keepalive_timeout\" directive is duplicate", 1);
        fails("http { keepalive_requests x; }", "\"keepalive_requests\" directive invalid number", 1);
        fails("http { server { keepalive_requests 1; keepalive_requests 1; } }",
                "\"keepalive_requests\" directive is duplicate", 1);
    }

    @Test
    void errorLogIsAcceptedInHttpLevels() throws ConfigException {
        assertThat(bind("http { error_log a.log; server { error_log stderr; location / { error_log b info; } } }")
                .main().errorLog().file()).contains(Path.of("/opt/pier/logs/error.log"));
        fails("http { server { error_log a nope; } }", "invalid log level \"nope\"", 1);
    }
}
