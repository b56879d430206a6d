package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code Expect: 100-continue} to handlers that do not read the body, as nginx: a handler that discards the body
 * ({@code ngx_http_discard_request_body} runs {@code ngx_http_test_expect}) sends {@code 100 Continue}, then its
 * answer, and reads and drops the body; an error or redirect ({@code r->expect_tested = 1}) sends no 100.
 */
class ExpectContinueTest {
    /* www/f.txt: "file" */
    @TempDir
    static Path base;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "file");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(base.resolve("error.log")), LogLevel.INFO), false);
        String conf = """
                http {
                  default_type text/plain;
                  server {
                    server_name example.com;
                    root %s;
                    client_max_body_size 10;
                    location /ret { return 200 "ret"; }
                    location /redir { return 302 /f.txt; }
                  }
                }
                """.formatted(www);
        rt = Fixtures.compile(conf, base, log);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    private static String expecting(String method, String target, int length) {
        return method + " " + target + " HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
    }

    @Test
    void staticFileSendsContinueThenAnswersAndDropsTheBody() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, expecting("GET", "/f.txt", 5));
        assertThat(res).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")
                .contains("Connection: keep-alive\r\n").endsWith("file");
        // the body follows, then the next request on the same connection
        String next = roundTrip(ch, "hello" + "GET /ret HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(next).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ret");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void returnWithTextSendsContinue() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, expecting("POST", "/ret", 3) + "abc");
        assertThat(res).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n").endsWith("ret");
        assertThat(roundTrip(ch, "GET /ret HTTP/1.1\r\nHost: example.com\r\n\r\n")).endsWith("ret");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void errorsAndRedirectsSendNoContinueAndClose() {
        for (String target : new String[]{"/missing", "/redir"}) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = roundTrip(ch, expecting("GET", target, 5));
            assertThat(res).as(target).doesNotContain("100 Continue").contains("Connection: close\r\n");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void tooLargeBodyGets413WithoutContinue() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, expecting("POST", "/ret", 11));
        assertThat(res).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void http10AndOtherExpectationsGetNoContinue() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, "GET /f.txt HTTP/1.0\r\nExpect: 100-continue\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 200 OK\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }
}
