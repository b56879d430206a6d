package dev.pier.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ngx_http_rewrite_module against the real server (one worker): rewrite with last, break, redirect and permanent,
 * captures and arguments, the trailing '?', the 10-change limit, if with -f and regex captures, set then return;
 * an {@code if} in a location as nginx's implicit nested location ({@code root}, {@code add_header} inside it).
 */
class RewriteIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private PierInstance server;
    private int port;

    @BeforeEach
    void start() {
        port = Ports.free();
        server = pier.newInstance();
        // html/page.txt exists; html/docs/ is a directory
        server.prefix().writeHtml("page.txt", "page\n");
        try {
            java.nio.file.Files.createDirectories(server.prefix().html().resolve("docs"));
            // alt/in/page.txt: what root inside an if serves
            var alt = java.nio.file.Files.createDirectories(server.prefix().html().resolve("alt/in"));
            java.nio.file.Files.writeString(alt.resolve("page.txt"), "alt page\n");
            java.nio.file.Files.createDirectories(server.prefix().html().resolve("in"));
            java.nio.file.Files.writeString(server.prefix().html().resolve("in/page.txt"), "in page\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.writeConf("""
                worker_processes 1;
                error_log logs/error.log notice;
                events { worker_connections 64; }
                http {
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        rewrite ^/legacy/(.*)$ /new/$1;

                        location /new/ { return 200 "new uri=$uri args=$args\\n"; }
                        location /last/ {
                            rewrite ^/last/(.*)$ /new/$1 last;
                            return 500;
                        }
                        location /break/ {
                            rewrite ^/break/(.*)$ /$1 break;
                            return 500;
                        }
                        location /go/ {
                            rewrite ^/go/(?<section>\\w+)/(\\d+)$ /$section/item?id=$2 redirect;
                        }
                        location /moved/ {
                            rewrite ^/moved/(.*)$ https://example.test/$1 permanent;
                        }
                        location /quiet/ {
                            rewrite ^/quiet/(.*)$ /new/$1? last;
                        }
                        location /loop/ {
                            rewrite_log on;
                            rewrite ^/loop/(.*)$ /loop/$1 last;
                        }
                        location ~ ^/check/(.+)$ {
                            set $file $1;
                            if (-f $document_root/$file) {
                                return 200 "file $file\\n";
                            }
                            if ($file ~ ^(\\w+)/(\\w+)$) {
                                return 200 "dir=$1 name=$2\\n";
                            }
                            return 404;
                        }
                        location /in/ {
                            add_header X-Outer outer;
                            if ($arg_alt) { root html/alt; }
                            if ($http_x_tag) { add_header X-Tag $http_x_tag; }
                        }
                        location = /evil {
                            set $true 1;
                            if ($true) { add_header X-First 1; }
                            if ($true) { add_header X-Second 2; }
                            return 200 "evil\n";
                        }
                        location = /hello {
                            set $who "$arg_name from $remote_addr";
                            return 200 "hello $who\\n";
                        }
                    }
                }
                """.formatted(port));
        server.start();
        server.awaitWorkers(1, Duration.ofSeconds(20));
    }

    @Test
    void lastSearchesAgainBreakServesHere() {
        HttpResponse last = RawHttp.get(port, "/last/a?x=1");
        assertThat(last.status()).as(last.toString()).isEqualTo(200);
        assertThat(last.bodyText()).isEqualTo("new uri=/new/a args=x=1\n");

        HttpResponse brk = RawHttp.get(port, "/break/page.txt");
        assertThat(brk.status()).as(brk.toString()).isEqualTo(200);
        assertThat(brk.bodyText()).isEqualTo("page\n"); // the static file, not the return 500 after it

        HttpResponse server = RawHttp.get(port, "/legacy/b");
        assertThat(server.bodyText()).as("server-level rewrite before the location search")
                .isEqualTo("new uri=/new/b args=\n");
    }

    @Test
    void redirectsWithCapturesAndArguments() {
        HttpResponse r = RawHttp.get(port, "/go/books/42?ref=home");
        assertThat(r.status()).as(r.toString()).isEqualTo(302);
        assertThat(r.header("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("http://")
                .endsWith(":" + port + "/books/item?id=42&ref=home"));

        HttpResponse p = RawHttp.get(port, "/moved/a/b?q=1");
        assertThat(p.status()).as(p.toString()).isEqualTo(301);
        assertThat(p.header("Location")).contains("https://example.test/a/b?q=1");

        HttpResponse q = RawHttp.get(port, "/quiet/c?secret=1");
        assertThat(q.bodyText()).as("a final '?' drops the arguments").isEqualTo("new uri=/new/c args=\n");
    }

    @Test
    void loopStopsAfterTenChangesWith500() {
        HttpResponse r = RawHttp.get(port, "/loop/x");
        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        Await.until(WAIT, () -> "the cycle logged:\n" + server.prefix().errorLogText(),
                () -> server.prefix().errorLogText()
                        .contains("[error]")
                        && server.prefix().errorLogText()
                        .contains("rewrite or internal redirection cycle while processing \"/loop/x\""));
        assertThat(server.prefix().errorLogText()).as("rewrite_log at notice")
                .contains("[notice]").contains("\"^/loop/(.*)$\" matches \"/loop/x\"")
                .contains("rewritten data: \"/loop/x\", args: \"\"");
    }

    @Test
    void ifWithFileTestAndRegexCaptures() {
        HttpResponse f = RawHttp.get(port, "/check/page.txt");
        assertThat(f.status()).as(f.toString()).isEqualTo(200);
        assertThat(f.bodyText()).isEqualTo("file page.txt\n");

        HttpResponse d = RawHttp.get(port, "/check/docs/missing");
        assertThat(d.bodyText()).isEqualTo("dir=docs name=missing\n");

        assertThat(RawHttp.get(port, "/check/a.b.c").status()).isEqualTo(404);
    }

    @Test
    void setThenReturnTheVariable() {
        HttpResponse r = RawHttp.get(port, "/hello?name=ann");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("hello ann from 127.0.0.1\n");
    }

    @Test
    void ifInsideLocationIsAnImplicitNestedLocation() {
        HttpResponse plain = RawHttp.get(port, "/in/page.txt");
        assertThat(plain.bodyText()).as(plain.toString()).isEqualTo("in page\n");
        assertThat(plain.header("X-Outer")).contains("outer");

        HttpResponse alt = RawHttp.get(port, "/in/page.txt?alt=1");
        assertThat(alt.bodyText()).as("root inside if").isEqualTo("alt page\n");
        assertThat(alt.header("X-Outer")).as("the if block inherits the location's add_header").contains("outer");

        HttpResponse tag;
        try (RawHttp c = RawHttp.connect(port)) {
            tag = c.send(RawHttp.request("GET", "/in/page.txt", "X-Tag: t1")).read();
        }
        assertThat(tag.header("X-Tag")).as(tag.toString()).contains("t1");
        assertThat(tag.header("X-Outer")).as("its own add_header replaces the inherited list").isEmpty();
    }

    @Test
    void twoIfsBothTrueTheLastOneWins() {
        HttpResponse r = RawHttp.get(port, "/evil");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("X-Second")).contains("2");
        assertThat(r.header("X-First")).as("nginx's \"if is evil\" example").isEmpty();
    }
}
