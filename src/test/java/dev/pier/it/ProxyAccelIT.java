package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's {@code X-Accel-*} headers: {@code X-Accel-Redirect} makes an internal redirect (method GET, the
 * backend's body dropped, its cookies kept) to an {@code internal} location served from a root, unless
 * {@code proxy_ignore_headers} names it; {@code X-Accel-Buffering} turns buffering on or off per response.
 */
class ProxyAccelIT {
    private static final long SIZE = 32L * 1024 * 1024;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void xAccelRedirectServesAnInternalLocation() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((line, headers, in, out) -> {
            long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            in.readNBytes((int) length);
            String target = line.split(" ")[1];
            if (target.startsWith("/again/")) {
                // the redirected request, proxied here a second time: what it looks like
                byte[] seen = (line + " length=" + length + " cl=" + headers.get("content-length") + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                ScriptedBackend.head(out, "200 OK", "Content-Length: " + seen.length);
                out.write(seen);
                out.flush();
                return true;
            }
            String to = target.startsWith("/args") ? "/protected/file.txt?x=1" : target.startsWith("/named")
                    ? "@files" : target.startsWith("/toproxy") ? "/again/x" : "/protected/file.txt";
            byte[] body = "backend body\n".getBytes(StandardCharsets.US_ASCII);
            ScriptedBackend.head(out, "200 OK", "X-Accel-Redirect: " + to, "Set-Cookie: s=1",
                    "X-Other: dropped", "Content-Length: " + body.length);
            out.write(body);
            out.flush();
            return true;
        })) {
            int port = Ports.free();
            PierInstance p = pier.newInstance();
            Files.createDirectories(p.prefix().html().resolve("protected"));
            Files.writeString(p.prefix().html().resolve("protected/file.txt"), "the protected file\n");
            p.writeConf(ProxyConfs.conf(1, port, "", """
                        location /protected/ { internal; root html; }
                        location @files { root html/protected; rewrite ^ /file.txt break; }
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /toproxy/off { proxy_pass http://127.0.0.1:%d; proxy_request_buffering off; }
                        location /ignored/ {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_ignore_headers X-Accel-Redirect;
                        }
                    """.formatted(b.port(), b.port(), b.port()))).start();
            ProxyConfs.awaitProxying(port, "/ignored/x");

            assertThat(RawHttp.get(port, "/protected/file.txt").status()).as("internal only").isEqualTo(404);
            try (RawHttp c = RawHttp.connect(port)) {
                // a POST: the redirected request is a GET, which the static module serves (it refuses POST)
                c.send(RawHttp.request("POST", "/download", "Content-Length: 5") + "hello");
                HttpResponse r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("the protected file\n");
                assertThat(r.header("Set-Cookie")).hasValue("s=1");
                assertThat(r.header("X-Other")).isEmpty();
                assertThat(r.header("X-Accel-Redirect")).isEmpty();
                // the connection stays usable
                HttpResponse again = c.send(RawHttp.request("GET", "/args")).read();
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.bodyText()).isEqualTo("the protected file\n");
            }
            for (String buffering : List.of("on", "off")) {
                try (RawHttp c = RawHttp.connect(port)) {
                    // redirected to a location that proxies again: a GET without the body, answered at once
                    c.send(RawHttp.request("POST", "/toproxy/" + buffering, "Content-Length: 5") + "hello");
                    HttpResponse r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("GET /again/x HTTP/1.0 length=0 cl=null\n");
                    HttpResponse next = c.send(RawHttp.request("GET", "/again/y")).read();
                    assertThat(next.bodyText()).as("the connection goes on").startsWith("GET /again/y");
                }
            }
            HttpResponse named = RawHttp.get(port, "/named");
            assertThat(named.status()).isEqualTo(200);
            assertThat(named.bodyText()).isEqualTo("the protected file\n");
            HttpResponse ignored = RawHttp.get(port, "/ignored/x");
            assertThat(ignored.status()).isEqualTo(200);
            assertThat(ignored.bodyText()).isEqualTo("backend body\n");
        }
    }

    @Test
    void xAccelBufferingTurnsSpoolingOnAndOffPerResponse() throws Exception {
        CountDownLatch yesWritten = new CountDownLatch(1);
        CountDownLatch noWritten = new CountDownLatch(1);
        try (ScriptedBackend b = new ScriptedBackend((line, headers, in, out) -> {
            boolean yes = line.contains("/yes");
            ScriptedBackend.head(out, "200 OK", "Content-Length: " + SIZE, "X-Accel-Buffering: " + (yes ? "yes"
                    : "no"));
            ScriptedBackend.pattern(out, SIZE);
            (yes ? yesWritten : noWritten).countDown();
            return true;
        })) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                        location /ready { return 200; }
                        location /off/ { proxy_pass http://127.0.0.1:%d; proxy_buffering off; }
                        location /on/ { proxy_pass http://127.0.0.1:%d; }
                    """.formatted(b.port(), b.port()))).start();
            ProxyConfs.awaitProxying(port, "/ready");
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 16 * 1024)) {
                c.send(RawHttp.request("GET", "/off/yes"));
                assertThat(yesWritten.await(30, TimeUnit.SECONDS)).as("X-Accel-Buffering: yes spools").isTrue();
                RawHttp.Streamed r = c.readStreamed();
                assertThat(ProxySpoolIT.sha(r.body(), SIZE)).isEqualTo(ProxySpoolIT.patternSha(SIZE));
            }
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 16 * 1024)) {
                c.send(RawHttp.request("GET", "/on/no"));
                assertThat(noWritten.await(3, TimeUnit.SECONDS)).as("X-Accel-Buffering: no holds the backend")
                        .isFalse();
                RawHttp.Streamed r = c.readStreamed();
                assertThat(r.head().header("X-Accel-Buffering")).isEmpty();
                assertThat(ProxySpoolIT.sha(r.body(), SIZE)).isEqualTo(ProxySpoolIT.patternSha(SIZE));
            }
            assertThat(p.prefix().errorLogText()).doesNotContain("[crit]");
        }
    }

    @Test
    void xAccelLimitRatePacesTheResponse() throws Exception {
        long size = 300 * 1024;
        try (ScriptedBackend b = new ScriptedBackend((line, headers, in, out) -> {
            ScriptedBackend.head(out, "200 OK", "Content-Length: " + size, "X-Accel-Limit-Rate: 100000");
            ScriptedBackend.pattern(out, size);
            return true;
        })) {
            int port = Ports.free();
            pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                        location /ready { return 200; }
                        location /limited/ { proxy_pass http://127.0.0.1:%d; }
                        location /unbuffered/ { proxy_pass http://127.0.0.1:%d; proxy_buffering off; }
                        location /ignored/ {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_ignore_headers X-Accel-Limit-Rate;
                        }
                        location /conf-rate/ {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_ignore_headers X-Accel-Limit-Rate;
                            limit_rate 100000;
                        }
                        location /var-rate/ {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_ignore_headers X-Accel-Limit-Rate;
                            set $limit_rate 100000;
                        }
                    """.formatted(b.port(), b.port(), b.port(), b.port(), b.port()))).start();
            ProxyConfs.awaitProxying(port, "/ready");
            // the backend's header, then the location's limit_rate and $limit_rate (nginx's r->limit_rate)
            for (String path : java.util.List.of("/limited/x", "/unbuffered/x", "/conf-rate/x", "/var-rate/x")) {
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(30), 0)) {
                    long t0 = System.nanoTime();
                    RawHttp.Streamed r = c.send(RawHttp.request("GET", path)).readStreamed();
                    assertThat(r.head().header("X-Accel-Limit-Rate")).isEmpty();
                    assertThat(ProxySpoolIT.sha(r.body(), size)).isEqualTo(ProxySpoolIT.patternSha(size));
                    // 100000 bytes/s, one second's worth at once (nginx's rate * (t + 1)): ~2 s for 300 KiB
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(path + " paced")
                            .isGreaterThan(Duration.ofMillis(1500));
                }
            }
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(30), 0)) {
                RawHttp.Streamed r = c.send(RawHttp.request("GET", "/ignored/x")).readStreamed();
                assertThat(ProxySpoolIT.sha(r.body(), size)).isEqualTo(ProxySpoolIT.patternSha(size));
            }
        }
    }
}
