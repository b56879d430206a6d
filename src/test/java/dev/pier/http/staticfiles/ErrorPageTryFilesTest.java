package dev.pier.http.staticfiles;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.CoreLocConf;
import dev.pier.config.bind.ErrorPage;
import dev.pier.config.bind.LocationMatch;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.regex;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** error_page, named locations, internal, try_files, alias (prefix and regex captures), server_tokens. */
class ErrorPageTryFilesTest {
    /*
     * www/            root
     *   404.html      "custom 404"
     *   app.html      "app"
     *   dir/
     * data/
     *   img/logo.txt  "logo"
     */
    @TempDir
    static Path base;
    static HttpRuntime rt;

    private static ModuleConfs core(List<ErrorPage> pages, boolean internal, List<String> tryFiles, String alias,
                                    boolean tokens) {
        return ConfModules.defaults(Path.of("/nonexistent")).with(CoreLocConf.class, new CoreLocConf(pages, false,
                internal, tryFiles, Optional.ofNullable(alias), true, tokens));
    }

    private static Fixtures.Loc named(String name) {
        return new NamedLoc(name).loc();
    }

    /** Fixtures has no named factory: build the level by hand through the public Loc API. */
    private record NamedLoc(String name) {
        Fixtures.Loc loc() {
            try {
                var c = Fixtures.Loc.class.getDeclaredConstructor(LocationMatch.class, String.class);
                c.setAccessible(true);
                return c.newInstance(LocationMatch.NAMED, name);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @BeforeAll
    static void tree() throws Exception {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("404.html"), "custom 404");
        Files.writeString(www.resolve("app.html"), "app");
        Files.createDirectories(www.resolve("dir"));
        Files.createDirectories(base.resolve("data/img"));
        Files.writeString(base.resolve("data/img/logo.txt"), "logo");
        Files.writeString(base.resolve("data/secret.txt"), "secret");
        List<ErrorPage> pages = List.of(new ErrorPage(List.of(404), ErrorPage.KEEP, "/404.html"),
                new ErrorPage(List.of(403), 200, "@fb"),
                new ErrorPage(List.of(410), 301, "http://elsewhere.test/gone"));
        rt = Fixtures.runtime(serverConf(server().root(www).modules(core(pages, false, List.of(), null, false))
                .defaultType("text/plain").nest(
                        exact("/404.html").modules(core(List.of(), true, List.of(), null, false)),
                        exact("/forbid").ret(403, null),
                        exact("/gone").ret(410, null),
                        prefix("/spa/").modules(core(List.of(), false, List.of("$uri", "$uri/", "/app.html"),
                                null, true)),
                        prefix("/code/").modules(core(List.of(), false, List.of("$uri", "=418"), null, true)),
                        prefix("/named/").modules(core(List.of(), false, List.of("$uri", "@fb"), null, true)),
                        prefix("/static/").modules(core(List.of(), false, List.of(), base + "/data/", true)),
                        prefix("/slash").modules(core(List.of(), false, List.of(), base + "/data/img/", true)),
                        regex("^/pics/(.+)$").modules(core(List.of(), false, List.of(),
                                base + "/data/img/$1", true)),
                        named("@fb").ret(200, "fallback for $uri")), "example.com"));
    }

    @Test
    void errorPageKeepsTheStatusAtEveryFragmentSize() {
        String req = "POST /missing HTTP/1.1\r\nHost: example.com\r\nContent-Length: 2\r\n\r\nab";
        for (int size = 1; size <= req.length(); size += 3) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, req, size);
            assertThat(res).startsWith("HTTP/1.1 404 Not Found\r\nServer: pier\r\n").endsWith("custom 404");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void internalLocationAnswersOnlyRedirects() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, get("/404.html"));
        // 404 from internal, then the error page is tried once (no recursion): nginx's own page
        assertThat(res).startsWith("HTTP/1.1 404 Not Found").contains("<center>pier</center>")
                .doesNotContain("custom 404");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void namedLocationWithOverrideAndUrlRedirect() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/forbid"))).startsWith("HTTP/1.1 200 OK").endsWith("fallback for /forbid");
        assertThat(roundTrip(ch, get("/gone"))).startsWith("HTTP/1.1 301 Moved Permanently")
                .contains("Location: http://elsewhere.test/gone\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void tryFilesFallsBackToUriCodeOrNamedLocation() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/spa/deep/link"))).startsWith("HTTP/1.1 200 OK").endsWith("app");
        assertThat(roundTrip(ch, get("/code/x"))).startsWith("HTTP/1.1 418");
        EmbeddedChannel ch2 = Wire.channel(rt);
        assertThat(roundTrip(ch2, get("/named/x"))).startsWith("HTTP/1.1 200 OK").endsWith("fallback for /named/x");
        assertFalse(ch.finishAndReleaseAll());
        assertFalse(ch2.finishAndReleaseAll());
    }

    @Test
    void aliasReplacesThePrefixOrUsesCaptures() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/static/img/logo.txt"))).startsWith("HTTP/1.1 200 OK")
                .contains("Server: pier/").endsWith("logo");
        assertThat(roundTrip(ch, get("/pics/logo.txt"))).startsWith("HTTP/1.1 200 OK").endsWith("logo");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aliasOffBySlashCannotClimbOutOfTheAlias() {
        // location /slash { alias data/img/; }: "/slash../secret.txt" would be data/img/../secret.txt
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/slashlogo.txt"))).startsWith("HTTP/1.1 200 OK").endsWith("logo");
        assertThat(roundTrip(ch, get("/slash../secret.txt"))).startsWith("HTTP/1.1 404 ").doesNotContain("secret");
        assertThat(roundTrip(ch, get("/slash%2e%2e/secret.txt"))).startsWith("HTTP/1.1 404 ");
        assertThat(roundTrip(ch, get("/slash../"))).startsWith("HTTP/1.1 404 ");
        assertThat(roundTrip(ch, get("/slash.."))).startsWith("HTTP/1.1 404 ");
        // a capture carrying ".." in a regex location's alias
        assertThat(roundTrip(ch, get("/pics/..%2fsecret.txt"))).startsWith("HTTP/1.1 ").doesNotContain("\r\n\r\nsecret");
        assertFalse(ch.finishAndReleaseAll());
    }
}
