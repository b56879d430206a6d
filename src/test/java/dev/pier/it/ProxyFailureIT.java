package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** 502 and 504 through the real {@code bin/pier}, with nginx's error-log lines. */
class ProxyFailureIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void refusedUpstreamIs502AndTimedOutOneIs504() {
        try (ProxyBackend slow = new ProxyBackend("slow")) {
            int dead = Ports.free(); // nobody listens there
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                        location /refused/ { proxy_pass http://127.0.0.1:%d; }
                        location /slow/ {
                            proxy_pass http://127.0.0.1:%d/;
                            proxy_read_timeout 500ms;
                        }
                    """.formatted(dead, slow.port()))).start();

            HttpResponse r = RawHttp.get(port, "/refused/x?y=1");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("502 Bad Gateway");
            Await.until(java.time.Duration.ofSeconds(5), () -> p.prefix().errorLogText(),
                    () -> p.prefix().errorLogText().contains("connect() failed"));
            assertThat(p.prefix().errorLogText()).contains("[error] ").contains("connect() failed (111: Connection "
                    + "refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET "
                    + "/refused/x?y=1 HTTP/1.1\", upstream: \"http://127.0.0.1:" + dead + "/refused/x?y=1\", host: "
                    + "\"localhost\"");

            long t0 = System.nanoTime();
            HttpResponse t = RawHttp.get(port, "/slow/sleep/3000");
            assertThat(t.status()).isEqualTo(504);
            assertThat(System.nanoTime() - t0).as("answered at proxy_read_timeout, not when the backend did")
                    .isLessThan(2_500_000_000L);
            Await.until(java.time.Duration.ofSeconds(5), () -> p.prefix().errorLogText(),
                    () -> p.prefix().errorLogText().contains("upstream timed out"));
            assertThat(p.prefix().errorLogText()).contains("upstream timed out (110: Connection timed out) while "
                    + "reading response header from upstream, client: 127.0.0.1, server: localhost, request: \"GET "
                    + "/slow/sleep/3000 HTTP/1.1\", upstream: \"http://127.0.0.1:" + slow.port() + "/sleep/3000\"");
            // the worker keeps serving
            assertThat(RawHttp.get(port, "/slow/fast").status()).isEqualTo(200);
        }
    }

    /** {@code pier -t} checks the proxy configuration as a reload would, with nginx's messages and file:line. */
    @Test
    void configCheckReportsProxyErrors() {
        int port = Ports.free();
        PierInstance p = pier.newInstance();
        p.writeConf(ProxyConfs.conf(1, port, """
                    upstream u { server 127.0.0.1:1; hash $request_uri consistent; keepalive 4; }
                """, """
                    location / { proxy_pass http://u; proxy_set_header X-Up $upstream_addr; }
                """));
        CliResult ok = p.run("-t");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();

        p.writeConf(ProxyConfs.conf(1, port, "", """
                    location / { proxy_pass http://u; }
                """));
        CliResult bad = p.run("-t");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.stderr()).contains("[emerg] host not found in upstream \"u\" in " + p.prefix().confFile()
                + ":13");
    }
}
