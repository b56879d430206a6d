package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** error_page, recursive_error_pages, internal, try_files, alias, log_not_found, server_tokens, named locations. */
class CoreLocDirectivesTest {

    private static LocationConf server(String body) throws ConfigException {
        return bind("http { " + body + " }").http().servers().getFirst().root();
    }

    private static CoreLocConf core(LocationConf l) {
        return l.modules().get(CoreLocConf.class);
    }

    @Test
    void valuesAndInheritance() throws ConfigException {
        LocationConf s = server("""
                error_page 404 /404.html;
                error_page 500 502 =200 @fallback;
                log_not_found off;
                server_tokens off;
                server {
                  recursive_error_pages on;
                  location /a { error_page 403 = /forbidden; internal; try_files $uri $uri/ =404; }
                  location /b { alias /data/b/; }
                  location ~ ^/c/(.*)$ { alias /data/c/$1; }
                  location @fallback { return 200 x; }
                }""");
        assertThat(core(s).errorPages()).containsExactly(new ErrorPage(List.of(404), ErrorPage.KEEP, "/404.html"),
                new ErrorPage(List.of(500, 502), 200, "@fallback"));
        assertThat(core(s).recursiveErrorPages()).isTrue();
        assertThat(core(s).logNotFound()).isFalse();
        assertThat(core(s).serverTokens()).isFalse();
        LocationConf a = s.nested().getFirst();
        assertThat(core(a).errorPages()).containsExactly(new ErrorPage(List.of(403), ErrorPage.FROM_TARGET,
                "/forbidden"));
        assertThat(core(a).internal()).isTrue();
        assertThat(core(a).tryFiles()).containsExactly("$uri", "$uri/", "=404");
        assertThat(core(s.nested().get(1)).alias()).contains("/data/b/");
        assertThat(core(s.nested().get(1)).internal()).isFalse();
        assertThat(core(s.nested().get(2)).alias()).contains("/data/c/$1");
        assertThat(s.nested().get(3).match()).isEqualTo(LocationMatch.NAMED);
        assertThat(s.nested().get(3).pattern()).isEqualTo("@fallback");
        assertThat(core(s.nested().get(3)).alias()).isEqualTo(Optional.empty());
    }

    @Test
    void errorsLikeNginx() {
        fails("http { error_page 404; }", "invalid number of arguments in \"error_page\" directive", 1);
        fails("http { error_page 200 /x; }", "value \"200\" must be between 300 and 599", 1);
        fails("http { error_page x /x; }", "invalid value \"x\"", 1);
        fails("http { error_page 404 =x /x; }", "invalid value \"=x\"", 1);
        fails("http { error_page 404 = /x; error_page 500 /$nope; }", "unknown \"nope\" variable", 1);
        fails("http { server { internal; } }", "\"internal\" directive is not allowed here", 1);
        fails("http { server { location /a { internal; internal; } } }", "\"internal\" directive is duplicate", 1);
        fails("http { server { try_files $uri; } }", "invalid number of arguments in \"try_files\" directive", 1);
        fails("http { server { try_files $uri =1000; } }", "invalid code \"1000\"", 1);
        fails("http { server { location /a { root /x; alias /y; } } }",
                "\"alias\" directive is duplicate, \"root\" directive was specified earlier", 1);
        fails("http { server { location /a { alias /y; root /x; } } }",
                "\"root\" directive is duplicate, \"alias\" directive was specified earlier", 1);
        fails("http { server { alias /y; } }", "\"alias\" directive is not allowed here", 1);
        fails("http { server { location @n { alias /y; } } }",
                "\"alias\" directive cannot be used inside the named location", 1);
        fails("http { server { location @n { location /x { } } } }",
                "location \"/x\" could not be inside the named location \"@n\"", 1);
        fails("http { server { location @n { } location @n { } } }", "duplicate location \"@n\"", 1);
        fails("http { server_tokens maybe; }", "invalid value \"maybe\"", 1);
        fails("http { log_not_found yes; }",
                "invalid value \"yes\" in \"log_not_found\" directive, it must be \"on\" or \"off\"", 1);
    }
}
