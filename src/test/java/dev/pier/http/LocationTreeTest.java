package dev.pier.http;

import dev.pier.config.bind.LocationConf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.noRegex;
import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.regex;
import static dev.pier.http.Fixtures.regexCaseless;
import static dev.pier.http.Fixtures.server;
import static org.assertj.core.api.Assertions.assertThat;

class LocationTreeTest {
    /*
     * server {
     *   location = /            {}                     # "=/"
     *   location /              {}                     # "/"
     *   location /docs/         { location /docs/api/ {}  location ~ \.txt$ {} }
     *   location ^~ /static/    { location ~ \.css$ {} }
     *   location /img/          {}
     *   location ~ \.(png|jpg)$ {}
     *   location ~* \.PHP$      { location ~ /admin/ {} }
     *   location ~ \.txt$       {}                     # shadowed inside /docs/ by the nested one
     *   location = /exact       {}
     *   location /Case/         {}
     * }
     */
    private static final LocationTree TREE;

    static {
        LocationConf level = server().nest(
                exact("/"),
                prefix("/"),
                prefix("/docs/").nest(prefix("/docs/api/"), regex("\\.txt$")),
                noRegex("/static/").nest(regex("\\.css$")),
                prefix("/img/"),
                regex("\\.(png;jpg)$".replace(';', '|')),
                regexCaseless("\\.PHP$").nest(regex("/admin/")),
                regex("\\.txt$"),
                exact("/exact"),
                prefix("/Case/")).build();
        try {
            TREE = LocationTree.compile(level, List.of());
        } catch (dev.pier.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static String describe(Location l) {
        if (l == TREE.serverLevel()) {
            return "server";
        }
        LocationConf c = l.conf();
        String base = switch (c.match()) {
            case EXACT -> "=" + c.pattern();
            case PREFIX -> c.pattern();
            case PREFIX_NO_REGEX -> "^~" + c.pattern();
            case REGEX -> "~" + c.pattern();
            case NAMED -> c.pattern();
            case REGEX_CASELESS -> "~*" + c.pattern();
        };
        return base.replace('|', ';');
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/|=/",                                  // exact first
            "/index.html|/",                         // longest prefix
            "/exact|=/exact",
            "/exact/more|/",                         // = does not match longer URIs
            "/docs/guide.html|/docs/",
            "/docs/api/x.html|/docs/api/",           // nested prefix inside the longest match
            "/docs/readme.txt|~\\.txt$",             // nested regex inside /docs/ checked first
            "/docs/api/a.png|~\\.(png;jpg)$",        // no nested regex matches: top-level regexes follow
            "/static/a.png|^~/static/",              // ^~ stops the top-level regex search
            "/static/site.css|~\\.css$",             // ... but its own nested regexes still run
            "/img/a.png|~\\.(png;jpg)$",             // a regex beats a plain prefix
            "/img/a.gif|/img/",
            "/x/INDEX.php|~*\\.PHP$",                // ~* is case-insensitive
            "/admin/x.php|~/admin/",                 // nested regex inside a regex location
            "/case/x|/",                             // prefixes are case-sensitive
            "/Case/x|/Case/",
    })
    void findsLocation(String uri, String expected) {
        assertThat(describe(TREE.find(uri))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void serverLevelServesWhenNothingMatches() throws Exception {
        LocationTree t = LocationTree.compile(server().nest(prefix("/a/"), exact("/b")).build(), List.of());
        assertThat(t.find("/c")).isSameAs(t.serverLevel());
        assertThat(t.find("/a/x").conf().pattern()).isEqualTo("/a/");
    }
}
