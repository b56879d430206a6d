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
import org.junit.jupiter.api.AfterEach;
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

/** An {@code if} inside a location is nginx's implicit nested location: it serves the request when it holds. */
class IfLocationTest {
    /*
     * www/a/f.txt      "www"
     * alt/a/f.txt      "alt"
     */
    @TempDir
    static Path base;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = Files.createDirectories(base.resolve("www/a"));
        Files.writeString(www.resolve("f.txt"), "www");
        Path alt = Files.createDirectories(base.resolve("alt/a"));
        Files.writeString(alt.resolve("f.txt"), "alt");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(base.resolve("error.log")), LogLevel.NOTICE), false);
        String conf = """
                http {
                  default_type text/plain;
                  server {
                    server_name example.com;
                    root %1$s/www;
                    location /a/ {
                      add_header X-Outer o;
                      expires 1h;
                      if ($arg_alt) { root %1$s/alt; }
                      if ($arg_hdr) { add_header X-Inner i; }
                      if ($arg_ret) { add_header X-Ret r; return 200 "ret $arg_ret"; }
                      if ($arg_missing) { error_page 404 =200 /found.txt; }
                    }
                    location = /found.txt { return 200 "found"; }
                    location /evil {
                      set $true 1;
                      if ($true) { add_header X-First 1; }
                      if ($true) { add_header X-Second 2; }
                      return 204;
                    }
                    location /next {
                      if ($arg_x) { add_header X-If 1; rewrite ^ /a/f.txt last; }
                      return 200 "no";
                    }
                  }
                }
                """.formatted(base);
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

    @AfterEach
    void noLeaks() {
        assertFalse(ch.finishAndReleaseAll());
    }

    private String get(String target) {
        return roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n");
    }

    private static String body(String res) {
        return res.substring(res.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void falseConditionKeepsTheLocation() {
        String res = get("/a/f.txt");
        assertThat(body(res)).isEqualTo("www");
        assertThat(res).contains("X-Outer: o\r\n", "Cache-Control: max-age=3600\r\n");
    }

    @Test
    void rootInsideIfServesFromItsRootAndInheritsTheRest() {
        String res = get("/a/f.txt?alt=1");
        assertThat(body(res)).isEqualTo("alt");
        // add_header and expires come from the enclosing location
        assertThat(res).contains("X-Outer: o\r\n", "Cache-Control: max-age=3600\r\n");
    }

    @Test
    void addHeaderInsideIfReplacesTheLocationsList() {
        String res = get("/a/f.txt?hdr=1");
        assertThat(body(res)).isEqualTo("www");
        assertThat(res).contains("X-Inner: i\r\n").doesNotContain("X-Outer");
    }

    @Test
    void rewriteDirectivesInsideIfStillRunAndTheBlocksConfigAnswers() {
        String res = get("/a/f.txt?ret=7");
        assertThat(res).startsWith("HTTP/1.1 200 OK").contains("X-Ret: r\r\n").doesNotContain("X-Outer");
        assertThat(body(res)).isEqualTo("ret 7");
    }

    @Test
    void errorPageInsideIf() {
        assertThat(get("/a/none?missing=1")).startsWith("HTTP/1.1 200 OK").endsWith("found");
        assertThat(get("/a/none")).startsWith("HTTP/1.1 404");
    }

    @Test
    void twoIfsBothTrueTheLastOneWins() {
        // nginx's "if is evil" example: only the second header is present
        String res = get("/evil");
        assertThat(res).startsWith("HTTP/1.1 204").contains("X-Second: 2\r\n").doesNotContain("X-First");
    }

    @Test
    void aNewLocationSearchLeavesTheIfBehind() {
        String res = get("/next?x=1");
        assertThat(body(res)).isEqualTo("www");
        assertThat(res).contains("X-Outer: o\r\n").doesNotContain("X-If");
        assertThat(body(get("/next"))).isEqualTo("no");
    }
}
