package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.pier.config.bind.TestConf.bind;
import static org.assertj.core.api.Assertions.assertThat;

/** http → server → location → nested location, merged once. */
class MergeTest {

    @Test
    void defaultsReachEveryLevel() throws ConfigException {
        ServerConf s = bind("http { server { location / { } } }").http().servers().getFirst();
        for (LocationConf l : new LocationConf[]{s.root(), s.root().nested().getFirst()}) {
            assertThat(l.root()).isEqualTo(Path.of("/opt/pier/html"));
            assertThat(l.index()).containsExactly("index.html");
            assertThat(l.types()).isEqualTo(Map.of("html", "text/html", "gif", "image/gif", "jpg", "image/jpeg"));
            assertThat(l.defaultType()).isEqualTo("text/plain");
            assertThat(l.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(75));
            assertThat(l.keepaliveRequests()).isEqualTo(1000);
            assertThat(l.addHeaders()).isEmpty();
            assertThat(l.ret()).isEmpty();
        }
        assertThat(s.root().match()).isEqualTo(LocationMatch.PREFIX);
        assertThat(s.root().pattern()).isEmpty();
    }

    @Test
    void valuesFlowDown() throws ConfigException {
        ServerConf s = bind("""
                http {
                    root /http;
                    index h.html;
                    types { text/css css; }
                    default_type application/octet-stream;
                    keepalive_timeout 5s;
                    server {
                        keepalive_requests 7;
                        location /a { root /a; location /a/b { } }
                        location /c { index c.html; }
                    }
                }""").http().servers().getFirst();
        LocationConf a = s.root().nested().get(0);
        LocationConf ab = a.nested().getFirst();
        LocationConf c = s.root().nested().get(1);
        assertThat(s.root().root()).isEqualTo(Path.of("/http"));
        assertThat(ab.root()).as("nested inherits from its location").isEqualTo(Path.of("/a"));
        assertThat(c.root()).isEqualTo(Path.of("/http"));
        assertThat(c.index()).containsExactly("c.html");
        assertThat(ab.index()).containsExactly("h.html");
        assertThat(ab.types()).as("types replace the default map as a whole").isEqualTo(Map.of("css", "text/css"));
        assertThat(ab.defaultType()).isEqualTo("application/octet-stream");
        assertThat(ab.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ab.keepaliveRequests()).isEqualTo(7);
    }

    @Test
    void addHeaderIsInheritedOnlyByLevelsWithoutTheirOwn() throws ConfigException {
        ServerConf s = bind("""
                http {
                    add_header X-Http 1;
                    server {
                        location /own { add_header X-Own 2; location /own/n { } }
                        location /none { }
                    }
                    server { add_header X-Server 3; location / { } }
                }""").http().servers().getFirst();
        assertThat(s.root().addHeaders()).containsExactly(new AddHeader("X-Http", "1", false));
        assertThat(s.root().nested().get(0).addHeaders()).as("own list replaces the parent's")
                .containsExactly(new AddHeader("X-Own", "2", false));
        assertThat(s.root().nested().get(0).nested().getFirst().addHeaders())
                .containsExactly(new AddHeader("X-Own", "2", false));
        assertThat(s.root().nested().get(1).addHeaders()).containsExactly(new AddHeader("X-Http", "1", false));
    }

    @Test
    void returnIsNotInherited() throws ConfigException {
        ServerConf s = bind("""
                http { server {
                    return 404;
                    location / { return 200 ok; location /x { } }
                    location /y { }
                } }""").http().servers().getFirst();
        assertThat(s.root().ret()).get().extracting(ReturnConf::code).isEqualTo(404);
        assertThat(s.root().nested().get(0).ret()).get().extracting(ReturnConf::code).isEqualTo(200);
        assertThat(s.root().nested().get(0).nested().getFirst().ret()).isEmpty();
        assertThat(s.root().nested().get(1).ret()).isEmpty();
    }

    @Test
    void listenersPointAtMergedServers() throws ConfigException {
        PierConfig c = bind("http { root /r; server { listen 8080; } }");
        ServerConf s = c.http().servers().getFirst();
        assertThat(c.http().listeners().getFirst().addresses().getFirst().defaultServer()).isSameAs(s);
        assertThat(s.root().root()).isEqualTo(Path.of("/r"));
    }
}
