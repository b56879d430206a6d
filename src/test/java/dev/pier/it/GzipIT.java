package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gzip against the real server (one worker): a static file compressed on the fly over a kept-alive connection,
 * {@code gzip_static} serving a prepared .gz, and a proxied response compressed as it streams.
 * <pre>
 * html/page.html          ~100 KiB of HTML
 * html/static/app.js      a script, and app.js.gz next to it (gzip_static on)
 * /app/                   proxy_pass to a {@link ProxyBackend}, gzip_types *
 * </pre>
 */
class GzipIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static String conf(int port, int backend) {
        return """
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 1024; }
                http {
                    gzip on;
                    gzip_vary on;
                    gzip_comp_level 5;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        location /static/ { gzip_static on; }
                        location /app/ {
                            proxy_pass http://127.0.0.1:%d/;
                            gzip_types *;
                        }
                    }
                }
                """.formatted(port, backend);
    }

    private static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    @Test
    void staticGzipStaticAndProxiedResponses() throws IOException {
        try (ProxyBackend backend = new ProxyBackend("b1")) {
            int port = Ports.free();
            PierInstance server = pier.newInstance().writeConf(conf(port, backend.port()));
            Path html = server.prefix().html();
            StringBuilder page = new StringBuilder();
            for (int i = 0; page.length() < 100 * 1024; i++) {
                page.append("<li>item ").append(i).append("</li>\n");
            }
            Files.writeString(html.resolve("page.html"), page);
            Files.createDirectories(html.resolve("static"));
            String js = "console.log('pier');\n".repeat(200);
            byte[] jsGz = gzip(js);
            Files.writeString(html.resolve("static/app.js"), js);
            Files.write(html.resolve("static/app.js.gz"), jsGz);
            server.start();
            ProxyConfs.awaitProxying(port, "/app/ready");

            int n = 300_000;
            try (RawHttp c = RawHttp.connect(port)) {
                // on the fly, twice on one connection: the chunked framing leaves the connection usable
                for (int i = 0; i < 2; i++) {
                    HttpResponse r = c.send(RawHttp.request("GET", "/page.html", "Accept-Encoding: gzip")).read();
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    assertThat(r.header("Content-Encoding")).contains("gzip");
                    assertThat(r.header("Transfer-Encoding")).contains("chunked");
                    assertThat(r.header("Content-Length")).isEmpty();
                    assertThat(r.header("Vary")).contains("Accept-Encoding");
                    assertThat(r.header("ETag")).hasValueSatisfying(e -> assertThat(e).startsWith("W/\""));
                    assertThat(r.body().length).isLessThan(page.length() / 4);
                    assertThat(gunzip(r.body())).isEqualTo(page.toString());
                }
                HttpResponse plain = c.send(RawHttp.request("GET", "/page.html")).read();
                assertThat(plain.header("Content-Encoding")).isEmpty();
                assertThat(plain.bodyText()).isEqualTo(page.toString());

                // gzip_static: the prepared file as it is
                HttpResponse st = c.send(RawHttp.request("GET", "/static/app.js", "Accept-Encoding: gzip")).read();
                assertThat(st.status()).as(st.toString()).isEqualTo(200);
                assertThat(st.header("Content-Encoding")).contains("gzip");
                assertThat(st.header("Content-Length")).contains(Integer.toString(jsGz.length));
                assertThat(st.body()).isEqualTo(jsGz);
                HttpResponse stPlain = c.send(RawHttp.request("GET", "/static/app.js")).read();
                assertThat(stPlain.header("Content-Encoding")).isEmpty();
                assertThat(stPlain.bodyText()).isEqualTo(js);

                // proxied: compressed while it streams from the backend
                HttpResponse px = c.send(RawHttp.request("GET", "/app/big/" + n, "Accept-Encoding: gzip")).read();
                assertThat(px.status()).as(px.toString()).isEqualTo(200);
                assertThat(px.header("Content-Encoding")).contains("gzip");
                assertThat(px.header("Content-Length")).isEmpty();
                String body = gunzip(px.body());
                assertThat(body).hasSize(n);
                for (int i = 0; i < n; i++) {
                    if (body.charAt(i) != (char) ProxyBackend.pattern(i)) {
                        throw new AssertionError("proxied body differs at " + i);
                    }
                }
                HttpResponse pxPlain = c.send(RawHttp.request("GET", "/app/big/1000")).read();
                assertThat(pxPlain.header("Content-Encoding")).isEmpty();
                assertThat(pxPlain.header("Content-Length")).contains("1000");
            }
            // the same, closing the connection after it, to a client with a small receive buffer: the socket keeps
            // filling up, the compressed pieces wait in the pipeline, and gzip's end (its trailer) is still sent
            // before the close
            for (int i = 0; i < 3; i++) {
                try (RawHttp c = RawHttp.connect(port, RawHttp.READ_TIMEOUT, 4096)) {
                    HttpResponse px = c.send(RawHttp.request("GET", "/app/big/" + n, "Accept-Encoding: gzip",
                            "Connection: close")).read();
                    assertThat(px.status()).as(px.toString()).isEqualTo(200);
                    assertThat(px.header("Content-Encoding")).contains("gzip");
                    assertThat(gunzip(px.body())).hasSize(n);
                }
            }
        }
    }
}
