package dev.pier.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Expect: 100-continue} against the real server when no handler reads the body, as nginx: a static file or
 * a {@code return} with text discards the body ({@code 100 Continue}, the answer, the body dropped, keep-alive);
 * an error answers without 100 and closes.
 */
class ExpectContinueIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private int port;

    @BeforeEach
    void start() {
        port = Ports.free();
        PierInstance server = pier.newInstance();
        server.prefix().writeHtml("page.txt", "page\n");
        server.writeConf("""
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 64; }
                http {
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        location = /ret { return 200 "ret\\n"; }
                    }
                }
                """.formatted(port));
        server.start();
        server.awaitWorkers(1, Duration.ofSeconds(20));
    }

    @Test
    void discardingHandlersSendContinueThenKeepTheConnection() {
        try (RawHttp c = RawHttp.connect(port)) {
            c.send(RawHttp.request("POST", "/ret", "Expect: 100-continue", "Content-Length: 6"));
            HttpResponse cont = c.read();
            assertThat(cont.status()).as(cont.toString()).isEqualTo(100);
            HttpResponse res = c.read();
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            assertThat(res.bodyText()).isEqualTo("ret\n");
            assertThat(res.connectionClose()).isFalse();
            // the body the 100 asked for, then a static file with the same expectation, then a plain request
            c.send("abcdef" + RawHttp.request("GET", "/page.txt", "Expect: 100-continue", "Content-Length: 3")
                    + "xyz" + RawHttp.request("GET", "/page.txt"));
            assertThat(c.read().status()).isEqualTo(100);
            assertThat(c.read().bodyText()).isEqualTo("page\n");
            HttpResponse last = c.read();
            assertThat(last.bodyText()).as("the discarded bodies never became requests").isEqualTo("page\n");
        }
    }

    @Test
    void errorAnswersWithoutContinueAndCloses() {
        try (RawHttp c = RawHttp.connect(port)) {
            c.send(RawHttp.request("POST", "/missing", "Expect: 100-continue", "Content-Length: 100000"));
            HttpResponse res = c.read();
            assertThat(res.status()).as(res.toString()).isEqualTo(404);
            assertThat(res.connectionClose()).isTrue();
            assertThat(c.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
    }
}
