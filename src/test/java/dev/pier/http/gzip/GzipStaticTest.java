package dev.pier.http.gzip;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.GzipConf;
import dev.pier.http.DateCache;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code gzip_static}:
 * <pre>
 * www/app.css       the original
 * www/app.css.gz    its gzip, older mtime (ETag and Last-Modified come from it)
 * www/plain.css     no .gz
 * www/always/app.css(.gz)  where gzip_static always
 * </pre>
 * The server level has {@code gzip_static on; gzip_vary on;} and {@code gzip off} (the filter plays no part).
 */
class GzipStaticTest {
    private static final Instant GZ_MTIME = Instant.parse("2024-05-06T07:08:09Z");
    @TempDir
    static Path www;
    static HttpRuntime rt;
    static byte[] gz;

    private static GzipConf conf(GzipConf.Static mode) {
        return new GzipConf(false, Set.of("text/html"), false, 20, 1, true, Set.of(GzipConf.Proxied.OFF), false,
                List.of(), mode);
    }

    @BeforeAll
    static void tree() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write("body { color: red }\n".repeat(20).getBytes(StandardCharsets.ISO_8859_1));
        }
        gz = b.toByteArray();
        Files.createDirectories(www.resolve("always"));
        for (String dir : new String[]{"", "always/"}) {
            Files.writeString(www.resolve(dir + "app.css"), "body { color: red }\n".repeat(20));
            Files.write(www.resolve(dir + "app.css.gz"), gz);
            Files.setLastModifiedTime(www.resolve(dir + "app.css.gz"), FileTime.from(GZ_MTIME));
        }
        Files.writeString(www.resolve("plain.css"), "p {}");
        rt = Fixtures.runtime(serverConf(server().root(www)
                .modules(ConfModules.defaults(www).with(GzipConf.class, conf(GzipConf.Static.ON)))
                .nest(prefix("/always/").modules(ConfModules.defaults(www).with(GzipConf.class,
                        conf(GzipConf.Static.ALWAYS)))), "example.com"));
    }

    private static String exchange(String request) {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = Wire.roundTrip(ch, request);
        assertFalse(ch.finishAndReleaseAll());
        return res;
    }

    private static String get(String uri, String... headers) {
        return "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\n" + String.join("", headers) + "\r\n";
    }

    @Test
    void servesTheGzFileWithItsOwnValidators() {
        Responses.Response r = Responses.one(exchange(get("/app.css", "Accept-Encoding: gzip\r\n")));
        assertThat(r.status()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).isEqualTo("text/css");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(gz.length));
        assertThat(r.header("Last-Modified")).isEqualTo(DateCache.format(GZ_MTIME.toEpochMilli()).toString());
        assertThat(r.header("ETag")).isEqualTo("\"" + Long.toHexString(GZ_MTIME.getEpochSecond()) + "-"
                + Long.toHexString(gz.length) + "\"");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Accept-Ranges")).isNull(); // nginx's gzip_static allows no ranges
        assertThat(r.body()).isEqualTo(gz);
    }

    @Test
    void conditionalRequestsUseTheGzValidators() {
        String etag = "\"" + Long.toHexString(GZ_MTIME.getEpochSecond()) + "-" + Long.toHexString(gz.length) + "\"";
        assertThat(exchange(get("/app.css", "Accept-Encoding: gzip\r\n", "If-None-Match: " + etag + "\r\n")))
                .startsWith("HTTP/1.1 304 Not Modified\r\n");
    }

    @Test
    void clientsWithoutGzipGetTheOriginalWithVary() {
        Responses.Response r = Responses.one(exchange(get("/app.css")));
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding"); // the .gz exists: the answer varies
        assertThat(r.text()).isEqualTo("body { color: red }\n".repeat(20));
        Responses.Response plain = Responses.one(exchange(get("/plain.css", "Accept-Encoding: gzip\r\n")));
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isNull();
        assertThat(plain.text()).isEqualTo("p {}");
    }

    @Test
    void alwaysServesItToEveryClientWithoutVary() {
        Responses.Response r = Responses.one(exchange(get("/always/app.css")));
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isNull();
        assertThat(r.body()).isEqualTo(gz);
        String head = exchange("HEAD /always/app.css HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(head).contains("Content-Encoding: gzip\r\n").contains("Content-Length: " + gz.length + "\r\n")
                .endsWith("\r\n\r\n");
    }
}
