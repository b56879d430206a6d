package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request smuggling and malformed heads against the real server (issue 7): each gets nginx's status with
 * {@code Connection: close} and a closed connection, the server keeps serving, and through the proxy an ambiguous
 * request never reaches the backend.
 */
class HostileClientsIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private record Case(String raw, int status) {
    }

    private static final List<Case> CASES = List.of(
            new Case("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            new Case("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
            new Case("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc", 400),
            new Case("POST /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
            new Case("POST /hello HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\rHost: a\r\n\r\n", 400),
            new Case("GET /he\0llo HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\r\nHost: a\r\nX\u0001: b\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\r\n\r\n", 400),
            new Case("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
            new Case("GET /hello HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(9000) + "\r\n\r\n", 400),
            new Case("GET /hello HTTP/1.1\r\nHost: a\r\n" + "X-Bomb: 0123456789012345678901234567890123456789\r\n"
                    .repeat(1000) + "\r\n", 400));

    @Test
    void everyAmbiguousOrMalformedRequestIsRefusedAndTheServerKeepsServing() {
        int port = Ports.free();
        pier.newInstance().writeConf(Confs.basic(port, 1, true, false)).start();
        RawHttp.awaitOk(port, "/hello", Duration.ofSeconds(30), "served");
        for (Case c : CASES) {
            try (RawHttp conn = RawHttp.connect(port)) {
                HttpResponse r = conn.send(c.raw()).read();
                String what = c.raw().substring(0, Math.min(60, c.raw().length())).replace("\r\n", "|");
                assertThat(r.status()).as(what).isEqualTo(c.status());
                assertThat(r.header("Connection")).as(what).contains("close");
                assertThat(conn.awaitClosed(Duration.ofSeconds(10))).as(what).isTrue();
            }
            assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
        }
    }

    @Test
    void anAmbiguousRequestIsNeverForwardedToTheBackend() {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            pier.newInstance().writeConf(ProxyConfs.conf(1, port, "",
                    "location /app/ { proxy_pass http://127.0.0.1:" + backend.port() + "; }")).start();
            ProxyConfs.awaitProxying(port, "/app/ready");
            int before = backend.requests();
            for (Case c : CASES.subList(0, 5)) {
                try (RawHttp conn = RawHttp.connect(port)) {
                    HttpResponse r = conn.send(c.raw().replace("/hello", "/app/x")).read();
                    assertThat(r.status()).isEqualTo(c.status());
                    assertThat(conn.awaitClosed(Duration.ofSeconds(10))).isTrue();
                }
            }
            assertThat(RawHttp.get(port, "/app/after").status()).isEqualTo(200);
            assertThat(backend.requests()).isEqualTo(before + 1); // only the last, valid request
        }
    }
}
