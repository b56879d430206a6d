package dev.pier.http.gzip;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code gzip_static} opens {@code FILE.gz} through the location's file access, as nginx's
 * {@code ngx_open_cached_file}: {@code disable_symlinks} applies to it, and {@code open_file_cache} serves it.
 * <pre>
 * www/app.css          the original
 * www/real/app.css.gz  its gzip
 * www/app.css.gz       a symbolic link to real/app.css.gz
 * </pre>
 */
class GzipStaticSymlinksTest {
    @TempDir
    static Path base;
    static Path errorLog;
    static ErrorLog log;
    static HttpRuntime rt;
    static final String CSS = "body { color: red }\n".repeat(20);

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("app.css"), CSS);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(CSS.getBytes(StandardCharsets.ISO_8859_1));
        }
        Files.write(Files.createDirectories(www.resolve("real")).resolve("app.css.gz"), b.toByteArray());
        Files.createSymbolicLink(www.resolve("app.css.gz"), www.resolve("real/app.css.gz"));
        errorLog = base.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.INFO), false);
        String conf = """
                http {
                  types { text/css css; }
                  server {
                    server_name example.com;
                    root %1$s;
                    gzip_static on;
                    location /strict/ { alias %1$s/; disable_symlinks on; }
                    location /cached/ { alias %1$s/; open_file_cache max=10; }
                  }
                }
                """.formatted(www);
        rt = Fixtures.compile(conf, base, log);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    private static Responses.Response get(String uri) {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = Wire.roundTrip(ch, "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip\r\n\r\n");
        assertFalse(ch.finishAndReleaseAll());
        return Responses.one(res);
    }

    @Test
    void aSymlinkedGzIsServedWhenLinksAreAllowed() {
        Responses.Response r = get("/app.css");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.gunzipped()).isEqualTo(CSS);
    }

    @Test
    void disableSymlinksRefusesTheSymlinkedGzAndTheOriginalIsServed() throws IOException {
        Responses.Response r = get("/strict/app.css");
        assertThat(r.status()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.text()).isEqualTo(CSS);
        assertThat(Files.readString(errorLog)).contains("[error] ", "app.css.gz\" failed "
                + "(40: Too many levels of symbolic links)");
    }

    @Test
    void openFileCacheServesTheGzAgain() {
        for (int i = 0; i < 3; i++) {
            Responses.Response r = get("/cached/app.css");
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.gunzipped()).isEqualTo(CSS);
        }
    }
}
