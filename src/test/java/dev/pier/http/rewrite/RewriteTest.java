package dev.pier.http.rewrite;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The rewrite module through the whole pipeline, from configuration text (bound by the real binder). */
class RewriteTest {
    /*
     * www/            root
     *   file.txt      "file"
     *   dir/
     */
    @TempDir
    static Path base;
    static Path errorLog;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("file.txt"), "file");
        Files.createDirectories(www.resolve("dir"));
        errorLog = base.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.NOTICE), false);
        String conf = """
                http {
                  default_type text/plain;
                  server {
                    server_name example.com;
                    root %s;
                    rewrite ^/old/(.*)$ /target/$1;
                    location /last/ { rewrite ^/last/(.*)$ /target/$1 last; return 500; }
                    location /brk/ { rewrite ^/brk/(.*)$ /$1 break; return 500; }
                    location /plain/ { rewrite ^/plain/(.*)$ /target/$1; set $seen yes; }
                    location /stop/ { rewrite ^ /target/stopped; break; return 500; }
                    location /target/ { return 200 "target uri=$uri args=$args seen=$seen"; }
                    location /r/ { rewrite ^/r/(\\w+)$ /new/$1?x=$1 redirect; }
                    location /p/ { rewrite ^/p/(.*)$ https://other.test/$1 permanent; }
                    location /drop/ { rewrite ^ /target/dropped? last; }
                    location /q/ { rewrite ^/q/(.*)$ /target/q?v=$1 last; }
                    location /loop/ { rewrite ^/loop/(.*)$ /loop/x$1 last; }
                    location /int/ { internal; return 200 "internal $uri"; }
                    location /toint { rewrite ^ /int/yes last; }
                    location ~ ^/f/(?<name>.+)$ {
                      rewrite_log on;
                      if (-f $document_root/$name) { return 200 "exists $name"; }
                      if ($name ~ ^(?<base_name>\\w+)\\.(\\w+)$) { return 200 "missing $base_name ext $2"; }
                      if (!-e $document_root/$name) { return 404; }
                      return 200 "other $name";
                    }
                    location /set { set $greeting "hi $arg_who"; set $args "who=changed"; return 200 "$greeting $args"; }
                    location /uninit { return 200 "[$never]"; }
                    location /cmp {
                      if ($arg_a = "") { return 200 "no a"; }
                      if ($arg_a != x) { return 200 "a is not x"; }
                      if ($arg_a) { return 200 "a is x"; }
                    }
                    location /zero { if ($arg_z) { return 200 true; } return 200 false; }
                    location /never { set $never 1; }
                  }
                }
                """.formatted(www);
        rt = Fixtures.compile(conf, base, log);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    private EmbeddedChannel ch;

    @BeforeEach
    void channel() {
        ch = Wire.channel(rt);
    }

    private String get(String target) {
        String res = roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n");
        return res;
    }

    private static String body(String res) {
        return res.substring(res.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void lastSearchesTheLocationAgainAtEveryFragmentSize() {
        String req = "GET /last/a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n";
        for (int size = 1; size <= req.length(); size++) {
            EmbeddedChannel c = Wire.channel(rt);
            String res = Wire.fragmented(c, req, size);
            assertThat(res).startsWith("HTTP/1.1 200 OK").endsWith("target uri=/target/a args=b=1 seen=");
            assertFalse(c.finishAndReleaseAll());
        }
    }

    @Test
    void breakStaysInTheLocationWithTheNewUri() {
        String res = get("/brk/file.txt");
        assertThat(res).startsWith("HTTP/1.1 200 OK"); // static file, not the return 500 after the break
        assertThat(body(res)).isEqualTo("file");
        assertThat(get("/stop/x")).startsWith("HTTP/1.1 404"); // break directive: /target/stopped served statically
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void withoutFlagTheProgramGoesOnThenSearchesAgain() {
        // set after the rewrite ran in /plain/, then the new URI found /target/
        assertThat(body(get("/plain/z"))).isEqualTo("target uri=/target/z args= seen=yes");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void serverLevelRewriteRunsBeforeLocationSearch() {
        assertThat(body(get("/old/k?a=2"))).isEqualTo("target uri=/target/k args=a=2 seen=");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void redirectsKeepCapturesAndAppendArgs() {
        assertThat(get("/r/abc?q=1")).startsWith("HTTP/1.1 302 ")
                .contains("Location: http://example.com/new/abc?x=abc&q=1\r\n");
        assertThat(get("/p/zz/y?q=1")).startsWith("HTTP/1.1 301 Moved Permanently")
                .contains("Location: https://other.test/zz/y?q=1\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void trailingQuestionMarkDropsArgs() {
        assertThat(body(get("/drop/x?secret=1"))).isEqualTo("target uri=/target/dropped args= seen=");
        // new args come first, the request's follow with '&'
        assertThat(body(get("/q/v1?o=2"))).isEqualTo("target uri=/target/q args=v=v1&o=2 seen=");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void capturesOfAnEscapedRequestAreEscapedInArgs() {
        // nginx's quoted_uri: $1 is "a&b" decoded, escaped again when copied into the arguments
        assertThat(body(get("/q/a%26b"))).isEqualTo("target uri=/target/q args=v=a%26b seen=");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void loopEndsWith500AndNginxLogLine() throws IOException {
        assertThat(get("/loop/a")).startsWith("HTTP/1.1 500 Internal Server Error");
        assertThat(Files.readString(errorLog)).contains(
                "[error] ", "rewrite or internal redirection cycle while processing \"/loop/xxxxxxxxxxxa\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void rewrittenRequestsAreInternal() {
        assertThat(body(get("/toint"))).isEqualTo("internal /int/yes");
        assertThat(get("/int/direct")).startsWith("HTTP/1.1 404");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void ifWithFileTestsAndRegexCaptures() throws IOException {
        assertThat(body(get("/f/file.txt"))).isEqualTo("exists file.txt");
        assertThat(body(get("/f/nope.html"))).isEqualTo("missing nope ext html");
        assertThat(get("/f/no-such")).startsWith("HTTP/1.1 404");
        assertThat(body(get("/f/dir"))).isEqualTo("other dir");
        String logged = Files.readString(errorLog);
        assertThat(logged).contains("[notice] ", "\"^(?<base_name>\\w+)\\.(\\w+)$\" matches \"nope.html\"",
                "\"^(?<base_name>\\w+)\\.(\\w+)$\" does not match \"no-such\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void setIsSeenByLaterDirectivesAndSetArgsChangesArgs() {
        assertThat(body(get("/set?who=bob"))).isEqualTo("hi bob who=changed");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void uninitializedVariableIsEmptyWithAWarning() throws IOException {
        assertThat(body(get("/uninit"))).isEqualTo("[]");
        assertThat(Files.readString(errorLog)).contains("[warn] ", "using uninitialized \"never\" variable");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void comparisonsAndTruth() {
        assertThat(body(get("/cmp"))).isEqualTo("no a");
        assertThat(body(get("/cmp?a=y"))).isEqualTo("a is not x");
        assertThat(body(get("/cmp?a=x"))).isEqualTo("a is x");
        assertThat(body(get("/zero?z=0"))).isEqualTo("false");
        assertThat(body(get("/zero?z=00"))).isEqualTo("true");
        assertFalse(ch.finishAndReleaseAll());
    }
}
