package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.ProxyConf.NextUpstream;
import dev.pier.config.bind.UpstreamConf;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.pier.http.proxy.Front.implicit;
import static dev.pier.http.proxy.Front.pass;
import static dev.pier.http.proxy.Front.server;
import static dev.pier.http.proxy.Front.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loopback: a JDK HttpServer backend, Pier's pipeline with the proxy module in front. */
class ProxyPassTest {

    @BeforeAll
    static void epoll() {
        assumeTrue(Epoll.isAvailable(), "native epoll");
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void uriReplacementFollowsNginxRules() throws Exception {
        try (Backend b = new Backend("b1")) {
            String host = "127.0.0.1:" + b.port();
            Map<String, ProxyConf> locs = new LinkedHashMap<>();
            locs.put("/name/", pass(implicit(b.port()), host, b.port(), "/remote/", "/name/", c -> c));
            locs.put("/plain/", pass(implicit(b.port()), host, b.port(), null, "/plain/", c -> c));
            locs.put("/root/", pass(implicit(b.port()), host, b.port(), "/", "/root/", c -> c));
            try (Front f = new Front(locs)) {
                // with a URI part: the location prefix is replaced, the rest re-escaped, args kept
                assertThat(Raw.body(Raw.get(f.port(), "/name/a%20b/c?x=1&y")))
                        .contains("GET /remote/a%20b/c?x=1&y HTTP/1.0");
                assertThat(Raw.body(Raw.get(f.port(), "/root/x/y"))).contains("GET /x/y HTTP/1.0");
                // without one: the request URI as the client sent it, not normalised
                assertThat(Raw.body(Raw.get(f.port(), "/plain//a/../b%41?q=%20")))
                        .contains("GET /plain//a/../b%41?q=%20 HTTP/1.0");
            }
        }
    }

    /**
     * The request goes upstream with one framing header, its body's: a configured {@code Content-Length} or
     * {@code Transfer-Encoding} is replaced, never sent beside it.
     */
    @Test
    void theBodysFramingReplacesAConfiguredOne() throws Exception {
        try (Backend b = new Backend("b1")) {
            String host = "127.0.0.1:" + b.port();
            Map<String, ProxyConf> locs = Map.of("/", pass(implicit(b.port()), host, b.port(), null, "/",
                    c -> c.header("Content-Length", "99").header("Transfer-Encoding", "gzip")));
            try (Front f = new Front(locs)) {
                String res = Raw.exchange(f.port(), "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n"
                        + "Connection: close\r\n\r\nabc");
                assertThat(res).startsWith("HTTP/1.1 200");
                assertThat(Raw.body(res)).contains("content-length: 3\n").doesNotContain("content-length: 99")
                        .doesNotContain("transfer-encoding");
            }
        }
    }

    @Test
    void requestAndResponseHeaderRules() throws Exception {
        try (Backend b = new Backend("b1")) {
            String host = "127.0.0.1:" + b.port();
            Map<String, ProxyConf> locs = Map.of("/", pass(implicit(b.port()), host, b.port(), null, "/",
                    c -> c.header("X-Forwarded-For", "$proxy_add_x_forwarded_for").header("X-Real-Host", "$host")
                            .header("Accept-Encoding", "")));
            try (Front f = new Front(locs)) {
                String res = Raw.get(f.port(), "/echo", "X-Custom: yes", "Keep-Alive: 300", "TE: trailers",
                        "X-Forwarded-For: 10.0.0.1", "Accept-Encoding: gzip");
                String body = Raw.body(res);
                assertThat(body).contains("host: " + host + "\n") // Host $proxy_host
                        .contains("connection: close\n")
                        .contains("x-custom: yes\n")
                        .contains("x-forwarded-for: 10.0.0.1, 127.0.0.1\n")
                        .contains("x-real-host: localhost\n")
                        .doesNotContain("keep-alive").doesNotContain("te: ").doesNotContain("accept-encoding");
                assertThat(res).startsWith("HTTP/1.1 200 OK\r\nServer: pier/")
                        .containsIgnoringCase("\r\nX-Backend: b1\r\n")
                        .doesNotContain("X-Accel-Expires"); // hidden by default, like nginx
            }
        }
    }

    /**
     * ip_hash hashes the client's address: nginx's formula over 127.0.0 picks the first of two equal servers
     * (4040 % 2), where an address left out (hashed as no bytes, 89 % 2) would pick the second.
     */
    @Test
    void ipHashUsesTheClientsAddress() throws Exception {
        try (Backend b1 = new Backend("b1"); Backend b2 = new Backend("b2")) {
            UpstreamConf up = upstream("u", new UpstreamConf.Balancing.IpHash(), UpstreamConf.Keepalive.NONE,
                    server(b1), server(b2));
            try (Front f = new Front(Map.of("/", pass(up, "u", 80, null, "/", c -> c)))) {
                for (int i = 0; i < 4; i++) {
                    assertThat(Raw.get(f.port(), "/x")).containsIgnoringCase("\r\nX-Backend: b1\r\n");
                }
            }
            assertThat(b2.requests).hasValue(0);
        }
    }

    @Test
    void refusedConnectionIs502WithNginxLogLine() throws Exception {
        int dead = deadPort();
        Map<String, ProxyConf> locs = Map.of("/", pass(implicit(dead), "127.0.0.1:" + dead, dead, null, "/",
                c -> c));
        try (Front f = new Front(locs)) {
            String res = Raw.get(f.port(), "/x?y");
            assertThat(res).startsWith("HTTP/1.1 502 Bad Gateway");
            assertThat(f.log()).contains("[error]").contains("connect() failed (111: Connection refused) while "
                    + "connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET /x?y HTTP/1.1\", "
                    + "upstream: \"http://127.0.0.1:" + dead + "/x?y\", host: \"localhost\"");
        }
    }

    @Test
    void readTimeoutIs504() throws Exception {
        try (Backend b = new Backend("b1")) {
            Map<String, ProxyConf> locs = Map.of("/", pass(implicit(b.port()), "127.0.0.1:" + b.port(), b.port(),
                    null, "/", c -> c.read(Duration.ofMillis(300))));
            try (Front f = new Front(locs)) {
                assertThat(Raw.get(f.port(), "/slow")).startsWith("HTTP/1.1 504 Gateway Time-out");
                assertThat(f.log()).contains("upstream timed out (110: Connection timed out) while reading "
                        + "response header from upstream");
            }
        }
    }

    @Test
    void failedPeerIsRetriedAndThenSkipped() throws Exception {
        int dead = deadPort();
        try (Backend b = new Backend("live")) {
            UpstreamConf up = upstream("backend", new UpstreamConf.Balancing.RoundRobin(),
                    UpstreamConf.Keepalive.NONE, server(dead, 1), server(b));
            Map<String, ProxyConf> locs = Map.of("/", pass(up, "backend", 80, null, "/", c -> c));
            try (Front f = new Front(locs)) {
                for (int i = 0; i < 6; i++) {
                    assertThat(Raw.get(f.port(), "/echo")).startsWith("HTTP/1.1 200 OK").contains("live\n");
                }
                String log = f.log();
                // max_fails=1: one refused connect, then the dead peer is skipped for fail_timeout
                assertThat(log.split("connect\\(\\) failed", -1)).hasSize(2);
                assertThat(log).contains("upstream server temporarily disabled");
            }
        }
    }

    @Test
    void nextUpstreamOnStatusButNeverForPostUnlessNonIdempotent() throws Exception {
        try (Backend bad = new Backend("bad"); Backend good = new Backend("good")) {
            Map<String, ProxyConf> locs = new HashMap<>();
            UpstreamConf up = upstream("u", new UpstreamConf.Balancing.RoundRobin(), UpstreamConf.Keepalive.NONE,
                    server(bad), server(good));
            locs.put("/", pass(up, "u", 80, null, "/", c -> c.next(NextUpstream.ERROR, NextUpstream.HTTP_503)));
            try (Front f = new Front(locs)) {
                // GET /status/503 on "bad" → retried on "good" (which also says 503 → passed on)
                String res = Raw.get(f.port(), "/status/503");
                assertThat(res).startsWith("HTTP/1.1 503");
                assertThat(bad.requests.get() + good.requests.get()).isEqualTo(2);
                String post = Raw.exchange(f.port(), "POST /status/503 HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Length: 3\r\nConnection: close\r\n\r\nabc");
                assertThat(post).startsWith("HTTP/1.1 503");
                assertThat(bad.requests.get() + good.requests.get()).isEqualTo(3); // POST: one try only
            }
        }
    }

    @Test
    void weightedRoundRobinDistribution() throws Exception {
        try (Backend a = new Backend("a"); Backend b = new Backend("b")) {
            UpstreamConf up = upstream("u", new UpstreamConf.Balancing.RoundRobin(), UpstreamConf.Keepalive.NONE,
                    server(a.port(), 2), server(b.port(), 1));
            try (Front f = new Front(Map.of("/", pass(up, "u", 80, null, "/", c -> c)))) {
                for (int i = 0; i < 30; i++) {
                    assertThat(Raw.get(f.port(), "/echo")).startsWith("HTTP/1.1 200");
                }
                assertThat(a.requests.get()).isEqualTo(20);
                assertThat(b.requests.get()).isEqualTo(10);
            }
        }
    }

    @Test
    void keepalivePoolReusesBackendConnections() throws Exception {
        try (Backend b = new Backend("b"); Front f = keepaliveFront(b)) {
            for (int i = 0; i < 40; i++) {
                String r = Raw.get(f.port(), "/echo?i=" + i);
                assertThat(r).as(f.log()).startsWith("HTTP/1.1 200").contains("HTTP/1.1\n");
            }
            assertThat(b.requests.get()).isEqualTo(40);
            assertThat(b.connections.size()).isLessThanOrEqualTo(2);
        }
    }

    /** A front whose "/" proxies to {@code b} over HTTP/1.1 with a keep-alive pool of 4. */
    private static Front keepaliveFront(Backend b) throws Exception {
        UpstreamConf up = upstream("u", new UpstreamConf.Balancing.RoundRobin(),
                new UpstreamConf.Keepalive(4, 1000, Duration.ofSeconds(60), Duration.ofHours(1)), server(b));
        return new Front(Map.of("/", pass(up, "u", 80, null, "/", c -> c.v11().header("Connection", ""))));
    }

    /**
     * Pipelined requests behind proxied ones, with a body in the middle: a bodiless proxied request keeps the client
     * read, the first request queued behind it stops reading, and every answer comes back in order.
     */
    @Test
    void pipelinedRequestsBehindProxiedOnesAreAnsweredInOrder() throws Exception {
        try (Backend b = new Backend("b"); Front f = keepaliveFront(b)) {
            StringBuilder req = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                if (i == 12) {
                    req.append("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
                }
                req.append("GET /echo?i=").append(i).append(" HTTP/1.1\r\nHost: localhost\r\n")
                        .append(i == 29 ? "Connection: close\r\n" : "").append("\r\n");
            }
            String all = Raw.exchange(f.port(), req.toString());
            int at = 0;
            for (int i = 0; i < 30; i++) {
                if (i == 12) {
                    at = all.indexOf("\r\n\r\n5", at);
                    assertThat(at).as("the upload's answer, in its place").isPositive();
                }
                int next = all.indexOf("GET /echo?i=" + i + " ", at);
                assertThat(next).as("answer " + i + " after the one before: " + f.log()).isGreaterThan(at);
                at = next;
            }
            assertThat(b.requests.get()).isEqualTo(31);
        }
    }
}
