package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** The gzip directives: nginx's defaults, merge, and messages. */
class GzipDirectivesTest {
    private static GzipConf gzip(String http, String location) throws ConfigException {
        return bind("http { " + http + " server { location / { " + location + " } } }").http().servers().getFirst()
                .root().nested().getFirst().modules().get(GzipConf.class);
    }

    @Test
    void defaultsAreNginxs() throws ConfigException {
        GzipConf g = gzip("", "");
        assertThat(g).isEqualTo(GzipConf.DEFAULTS);
        assertThat(g.gzip()).isFalse();
        assertThat(g.types()).containsExactly("text/html");
        assertThat(g.minLength()).isEqualTo(20);
        assertThat(g.compLevel()).isEqualTo(1);
        assertThat(g.proxied()).containsExactly(GzipConf.Proxied.OFF);
        assertThat(g.http10()).isFalse();
        assertThat(g.gzipStatic()).isEqualTo(GzipConf.Static.OFF);
    }

    @Test
    void valuesAndInheritance() throws ConfigException {
        GzipConf g = gzip("gzip on; gzip_types text/css Application/JSON; gzip_types text/plain; gzip_min_length 1k;"
                        + " gzip_comp_level 6; gzip_vary on; gzip_proxied expired no-cache no_etag auth;"
                        + " gzip_http_version 1.0; gzip_disable msie6 \"^curl\"; gzip_buffers 16 8k;"
                        + " gzip_static always;",
                "gzip_comp_level 9;");
        assertThat(g.gzip()).isTrue();
        assertThat(g.types()).containsExactlyInAnyOrder("text/html", "text/css", "application/json", "text/plain");
        assertThat(g.typeMatches("text/css")).isTrue();
        assertThat(g.typeMatches("image/png")).isFalse();
        assertThat(g.minLength()).isEqualTo(1024);
        assertThat(g.compLevel()).isEqualTo(9);
        assertThat(g.vary()).isTrue();
        assertThat(g.proxied()).isEqualTo(Set.of(GzipConf.Proxied.EXPIRED, GzipConf.Proxied.NO_CACHE,
                GzipConf.Proxied.NO_ETAG, GzipConf.Proxied.AUTH));
        assertThat(g.http10()).isTrue();
        assertThat(g.disable()).hasSize(2);
        assertThat(g.disable().getFirst().matcher("Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)").find())
                .isTrue();
        assertThat(g.disable().get(1).matcher("CURL/8").find()).isTrue(); // caseless, as nginx compiles them
        assertThat(g.gzipStatic()).isEqualTo(GzipConf.Static.ALWAYS);

        // a level's own gzip_types replaces the inherited list (text/html stays)
        assertThat(gzip("gzip_types text/css;", "gzip_types *;").typeMatches("image/png")).isTrue();
        assertThat(gzip("gzip_types text/css;", "gzip_types text/xml;").types())
                .containsExactlyInAnyOrder("text/html", "text/xml");
        assertThat(gzip("gzip on;", "gzip off;").gzip()).isFalse();
    }

    @Test
    void errorsLikeNginx() {
        fails("http {\n gzip maybe; }", "invalid value \"maybe\" in \"gzip\" directive, it must be \"on\" or \"off\"",
                2);
        fails("http { gzip_comp_level 10; }", "value must be between 1 and 9", 1);
        fails("http { gzip_comp_level 0; }", "value must be between 1 and 9", 1);
        fails("http { gzip_comp_level fast; }", "\"gzip_comp_level\" directive invalid number", 1);
        fails("http { gzip_min_length -1; }", "\"gzip_min_length\" directive invalid value", 1);
        fails("http { gzip_proxied expired sometimes; }", "invalid value \"sometimes\"", 1);
        fails("http { gzip_http_version 2.0; }", "invalid value \"2.0\"", 1);
        fails("http { gzip_static maybe; }", "invalid value \"maybe\"", 1);
        fails("http { gzip_buffers 0 8k; }", "\"gzip_buffers\" directive invalid value", 1);
        fails("http { gzip_buffers 16; }", "invalid number of arguments in \"gzip_buffers\" directive", 1);
        fails("http { gzip_types *; gzip_types text/css; }", "\"gzip_types\" directive is duplicate", 1);
        fails("http { gzip_vary on;\n gzip_vary off; }", "\"gzip_vary\" directive is duplicate", 2);
        fails("http { gzip_disable \"(\"; }",
                "pcre2_compile() failed: Unclosed group in \"(\" at \"\"", 1);
        fails("gzip on;", "\"gzip\" directive is not allowed here", 1);
    }
}
