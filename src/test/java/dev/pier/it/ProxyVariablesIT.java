package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_pass} with variables through the real {@code bin/pier}: an IP literal, an upstream block named by a
 * variable, a name asked of {@code resolver} (a {@link FakeDns} on loopback), and nginx's 502s with their error
 * lines for a name without a resolver and a name the resolver does not know.
 */
class ProxyVariablesIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void urlsEvaluatedPerRequest() {
        try (ProxyBackend b1 = new ProxyBackend("b1"); ProxyBackend b2 = new ProxyBackend("b2");
             FakeDns dns = new FakeDns(Map.of("app.test", "127.0.0.1"))) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                        upstream pool { server 127.0.0.1:%2$d; }
                    """.formatted(b1.port(), b2.port()), """
                        location /lit/ { proxy_pass http://127.0.0.1:%1$d$request_uri; }
                        location /named/ {
                            proxy_pass http://$arg_up/from-named$is_args$args;
                            add_header X-Up $upstream_addr;
                        }
                        location /nores/ { proxy_pass http://$arg_h:%1$d; }
                        location /dns/ {
                            resolver 127.0.0.1:%3$d valid=30s ipv6=off;
                            resolver_timeout 5s;
                            proxy_pass http://$arg_h:%1$d;
                            add_header X-Proxy-Host $proxy_host;
                        }
                    """.formatted(b1.port(), b2.port(), dns.port()))).start();
            ProxyConfs.awaitProxying(port, "/lit/ready");

            // a literal IP: the rendered URI replaces the request's URI as written
            assertThat(RawHttp.get(port, "/lit/a%20b?x=1").bodyText()).startsWith("b1 GET /lit/a%20b?x=1 HTTP/1.0\n");
            // a host naming an upstream block uses it
            HttpResponse named = RawHttp.get(port, "/named/q?up=pool");
            assertThat(named.bodyText()).startsWith("b2 GET /from-named?up=pool HTTP/1.0\n")
                    .contains("\nhost: pool\n");
            assertThat(named.header("X-Up")).hasValue("127.0.0.1:" + b2.port());
            // a name with no resolver: nginx's 502 and error line
            assertThat(RawHttp.get(port, "/nores/x?h=app.test").status()).isEqualTo(502);
            assertThat(p.prefix().errorLogText()).contains("[error]")
                    .contains("no resolver defined to resolve app.test, client: 127.0.0.1");
            // the resolver answers: the request goes to the address with the URL's port, Host is the URL's host
            HttpResponse viaDns = RawHttp.get(port, "/dns/y?h=app.test");
            assertThat(viaDns.status()).isEqualTo(200);
            assertThat(viaDns.bodyText()).startsWith("b1 GET /dns/y?h=app.test HTTP/1.0\n")
                    .contains("\nhost: app.test:" + b1.port() + "\n");
            assertThat(viaDns.header("X-Proxy-Host")).hasValue("app.test:" + b1.port());
            int asked = dns.queries();
            assertThat(RawHttp.get(port, "/dns/z?h=app.test").status()).isEqualTo(200);
            assertThat(dns.queries()).as("valid=30s keeps the answer").isEqualTo(asked);
            // a name the DNS server does not know
            assertThat(RawHttp.get(port, "/dns/z?h=nx.test").status()).isEqualTo(502);
            assertThat(p.prefix().errorLogText()).contains("nx.test could not be resolved (3: Host not found)");
        }
    }
}
