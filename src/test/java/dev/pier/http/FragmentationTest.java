package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every module on one pipeline, each request fed whole and then split at every fragment size from 1 byte to its
 * length: the bytes written back must be the same each time (a parser or handler that depends on how TCP cut the
 * stream answers differently), and nothing may be left unreleased on the channel. The requests go through request
 * heads and bodies (fixed and chunked, pipelined behind each other), rewrite and {@code if} locations, {@code return},
 * static files with ranges and conditionals, {@code try_files}, {@code error_page}, {@code autoindex}, gzip, charset
 * recoding, {@code add_header}, {@code limit_req}/{@code limit_conn} and the access log's variables.
 */
class FragmentationTest {
    @TempDir
    static Path base;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = base.resolve("www");
        Files.createDirectories(www.resolve("dir/sub"));
        Files.writeString(www.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(www.resolve("f.txt"), "0123456789".repeat(300));
        Files.writeString(www.resolve("dir/a.txt"), "a\n");
        Files.write(www.resolve("cyr.txt"), "Привет, мир! ".repeat(40).getBytes(Charset.forName("windows-1251")));
        // limit zones in the test's directory, not /dev/shm (cleared again in tearDown)
        System.setProperty("pier.zones.dir", Files.createDirectories(base.resolve("zones")).toString());
        String conf = """
                http {
                  types { text/plain txt; text/html html; }
                  limit_req_zone $binary_remote_addr zone=r:1m rate=100000r/s;
                  limit_conn_zone $binary_remote_addr zone=c:1m;
                  log_format all '$request|$status|$body_bytes_sent|$request_length|$args|$http_x_a';
                  access_log %s/access.log all buffer=64k;
                  server {
                    server_name example.com;
                    root %s;
                    add_header X-Level server;
                    limit_req zone=r burst=100000 nodelay;
                    limit_conn c 1000;
                    location / { try_files $uri $uri/ @fallback; }
                    location @fallback { return 404 "fallback $uri\\n"; }
                    location /dir/ { autoindex on; add_header X-Level dir always; }
                    location = /ret { return 200 "args=$args a=$arg_a h=$http_x_a\\n"; }
                    location /rw/ { rewrite ^/rw/(.*)$ /ret?from=$1 last; }
                    location /iff {
                      if ($arg_x = 1) { add_header X-If yes; return 200 "if\\n"; }
                      return 200 "no if\\n";
                    }
                    location = /gz.txt { alias %s/f.txt; gzip on; gzip_min_length 1; gzip_types text/plain; }
                    location = /cyr.txt { charset utf-8; source_charset windows-1251; }
                    location = /missing { error_page 404 = /ret; }
                  }
                }
                """.formatted(base, www, www);
        rt = Fixtures.compile(conf, base, ErrorLog.silent());
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("pier.zones.dir");
        rt.accessLogs().flushAndClose(); // its writer thread writes into the temp directory JUnit deletes next
    }

    private static final String H = " HTTP/1.1\r\nHost: example.com\r\n";

    /** Each case: the expected statuses, a space, then the bytes of one or more pipelined requests. */
    @ParameterizedTest
    @ValueSource(strings = {
            "200 GET /ret?a=1&b=2" + H + "X-A: x\r\n\r\n",
            "200 GET /rw/abc" + H + "\r\n",
            "200,200 GET /iff?x=1" + H + "\r\nGET /iff?x=2" + H + "\r\n",
            "206 GET /f.txt" + H + "Range: bytes=0-9,100-109,-5\r\n\r\n",
            "304 GET /f.txt" + H + "If-None-Match: *\r\n\r\n",
            "200 HEAD /f.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "200 GET /gz.txt" + H + "Accept-Encoding: gzip\r\n\r\n",
            "200 GET /cyr.txt" + H + "\r\n",
            "200 GET /dir/" + H + "\r\n",
            "403 GET /dir" + H + "\r\n",
            "200 GET /" + H + "\r\n",
            "404 GET /nothing/here" + H + "\r\n",
            "200 GET /missing" + H + "\r\n",
            "200,200 POST /ret" + H + "Content-Length: 5\r\n\r\nhelloGET /ret?after=1" + H + "\r\n",
            "200,200 POST /ret" + H + "Transfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n"
                    + "GET /ret" + H + "\r\n",
            "400 GET /ret?c=1" + H + "X-Bad Name: v\r\nUser-Agent: t\r\n\r\n",
            "400 GET /%2e%2e/%2e%2e/etc/passwd" + H + "\r\n",
            "400 GARBAGE\r\n\r\n",
    })
    void sameAnswerHoweverTheRequestIsCut(String statusesAndRequest) {
        int space = statusesAndRequest.indexOf(' ');
        String request = statusesAndRequest.substring(space + 1);
        String whole = answer(request, request.length());
        assertThat(whole.lines().filter(l -> l.startsWith("HTTP/1.1 ")).map(l -> l.substring(9, 12)).toList())
                .as("statuses of the whole request")
                .containsExactly(statusesAndRequest.substring(0, space).split(","));
        for (int size = 1; size < request.length(); size++) {
            assertThat(answer(request, size)).as("cut into %d-byte pieces", size).isEqualTo(whole);
        }
    }

    /**
     * The bytes written back, without what differs by design: the Date header (a second may pass between two runs)
     * and multipart boundaries (random per response, as nginx's).
     */
    private static String answer(String request, int size) {
        EmbeddedChannel ch = Wire.channel(rt);
        String out = Wire.fragmented(ch, request, size);
        ch.runPendingTasks();
        out += Wire.drain(ch);
        assertThat(ch.finishAndReleaseAll()).as("messages left on the channel").isFalse();
        return out.replaceAll("(?m)^Date: [^\r]*\r\n", "").replaceAll("\\d{20}", "BOUNDARY");
    }
}
