package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_pass} through the real {@code bin/pier}: nginx's URI table, request and response header rules,
 * {@code proxy_redirect}, {@code proxy_cookie_*} and the proxy variables, against one {@link ProxyBackend}.
 */
class ProxyPassIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void uriTableHeadersAndVariables() {
        try (ProxyBackend b = new ProxyBackend("b1")) {
            int port = Ports.free();
            String up = "127.0.0.1:" + b.port();
            pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Proxy "$proxy_host|$proxy_port";
                    """, """
                        location /name/ { proxy_pass http://%1$s/remote/; }
                        location /root/ { proxy_pass http://%1$s/; }
                        location /plain/ { proxy_pass http://%1$s; }
                        location ~ ^/re(gex)?/ { proxy_pass http://%1$s; }
                        location = /exact { proxy_pass http://%1$s/other; }
                        location /own/ {
                            proxy_pass http://%1$s;
                            proxy_set_header Accept-Encoding "";
                            proxy_set_header X-Real-Host $host;
                            proxy_hide_header X-App;
                        }
                        location /vars/ {
                            proxy_pass http://%1$s/;
                            add_header X-Up "$upstream_addr $upstream_status";
                            add_header X-Up-App $upstream_http_x_app;
                        }
                        location /rx/ {
                            proxy_pass http://%1$s/;
                            proxy_redirect ~*^HTTP://127\\.0\\.0\\.1:[0-9]+/app/(\\w+)$ /moved/$1;
                        }
                        location /rw/ {
                            rewrite ^/rw/(.*)$ /new/$1 break;
                            proxy_pass http://%1$s;
                        }
                        location /pass/ {
                            proxy_pass http://%1$s/;
                            proxy_pass_header Server;
                            proxy_pass_header Date;
                        }
                        location /app/ {
                            proxy_pass http://%1$s/;
                            proxy_cookie_domain backend.test example.org;
                            proxy_cookie_path /app/ /;
                        }
                    """.formatted(up))).start();

            // a URI part replaces the location prefix; the rest is re-escaped and the arguments kept
            assertThat(RawHttp.get(port, "/name/a%20b/c?x=1&y").bodyText()).startsWith("b1 GET /remote/a%20b/c?x=1&y HTTP/1.0\n");
            assertThat(RawHttp.get(port, "/root/x/y").bodyText()).startsWith("b1 GET /x/y HTTP/1.0\n");
            assertThat(RawHttp.get(port, "/exact?q").bodyText()).startsWith("b1 GET /other?q HTTP/1.0\n");
            // no URI part: the request URI as the client sent it, not normalised
            assertThat(RawHttp.get(port, "/plain//a/../b%41?q=%20").bodyText())
                    .startsWith("b1 GET /plain//a/../b%41?q=%20 HTTP/1.0\n");
            assertThat(RawHttp.get(port, "/regex/z").bodyText()).startsWith("b1 GET /regex/z HTTP/1.0\n");
            // after a rewrite the changed URI goes upstream ($uri escaped, then the arguments), as in nginx
            assertThat(RawHttp.get(port, "/rw/a%20b?x=1").bodyText()).startsWith("b1 GET /new/a%20b?x=1 HTTP/1.0\n");

            // the http level's proxy_set_header lines reach a location that has none of its own
            String inherited = send(port, "/plain/h").bodyText();
            assertThat(inherited)
                    .contains("\nhost: " + up + "\n") // Host $proxy_host
                    .contains("\nconnection: close\n")
                    .contains("\nx-custom: yes\n")
                    .contains("\nx-forwarded-for: 10.0.0.1, 127.0.0.1\n")
                    .contains("\nx-proxy: " + up + "|" + b.port() + "\n")
                    .contains("\naccept-encoding: gzip\n")
                    .doesNotContain("keep-alive"); // nginx's defaults clear Keep-Alive, TE, Expect, Upgrade
            // a level with proxy_set_header of its own inherits none: the client's X-Forwarded-For passes as sent
            HttpResponse r = send(port, "/own/h");
            assertThat(r.bodyText())
                    .contains("\nhost: " + up + "\n")
                    .contains("\nx-real-host: localhost\n")
                    .contains("\nx-forwarded-for: 10.0.0.1\n")
                    .doesNotContain("x-proxy").doesNotContain("accept-encoding").doesNotContain("keep-alive");
            assertThat(r.header("X-Backend")).hasValue("b1");
            assertThat(r.header("X-App")).isEmpty(); // proxy_hide_header
            assertThat(r.header("X-Accel-Buffering")).isEmpty(); // hidden by default, like nginx
            assertThat(r.header("Server").orElseThrow()).startsWith("pier/");

            HttpResponse v = RawHttp.get(port, "/vars/");
            assertThat(v.header("X-Up")).hasValue(up + " 200");
            assertThat(v.header("X-Up-App")).hasValue("yes");

            // proxy_redirect default: the proxy_pass URL becomes the location
            HttpResponse red = RawHttp.get(port, "/app/redirect");
            assertThat(red.status()).isEqualTo(302);
            assertThat(red.header("Location")).hasValue("/app/app/there");
            // a regex proxy_redirect (caseless here) replaces the whole value, with its captures
            assertThat(RawHttp.get(port, "/rx/redirect").header("Location")).hasValue("/moved/there");
            // the backend's Server and Date are hidden by default; proxy_pass_header sends them instead of Pier's
            HttpResponse own = RawHttp.get(port, "/app/server");
            assertThat(own.headers("Server")).singleElement().asString().startsWith("pier/");
            assertThat(own.headers("Date")).singleElement().isNotEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
            HttpResponse passed = RawHttp.get(port, "/pass/server");
            assertThat(passed.headers("Server")).containsExactly("backend/1.0");
            assertThat(passed.headers("Date")).containsExactly("Thu, 01 Jan 2026 00:00:00 GMT");
            assertThat(passed.bodyText()).isEqualTo("server\n");

            HttpResponse ck = RawHttp.get(port, "/app/cookie");
            assertThat(ck.header("Set-Cookie")).hasValue("s=1; Domain=example.org; Path=/x");
        }
    }

    private static HttpResponse send(int port, String target) {
        try (RawHttp c = RawHttp.connect(port)) {
            return c.send(RawHttp.request("GET", target, "Connection: close", "X-Custom: yes", "Keep-Alive: 300",
                    "X-Forwarded-For: 10.0.0.1", "Accept-Encoding: gzip")).read();
        }
    }
}
