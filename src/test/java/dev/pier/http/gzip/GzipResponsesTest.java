package dev.pier.http.gzip;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.GzipConf;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The gzip filter on static files, {@code return} and error pages through the whole pipeline:
 * <pre>
 * www/page.html   50 KiB of repetitive HTML (compressible, several file chunks)
 * www/small.html  10 bytes (under gzip_min_length 20)
 * www/notes.txt   text/plain (not in gzip_types unless "*")
 * www/any/         the same files where gzip_types *, gzip_vary on, gzip_http_version 1.0
 * www/vary/        the same files where gzip_vary on
 * </pre>
 */
class GzipResponsesTest {
    private static ResourceLeakDetector.Level previous;
    @TempDir
    static Path www;
    static HttpRuntime rt;
    static String page;

    static ModuleConfs gzip(Path root, boolean any, boolean vary, boolean http10) {
        return ConfModules.defaults(root).with(GzipConf.class, new GzipConf(true, Set.of("text/html"), any, 20, 1,
                vary, Set.of(GzipConf.Proxied.OFF), http10, List.of(), GzipConf.Static.OFF));
    }

    @BeforeAll
    static void tree() throws Exception {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 50 * 1024; i++) {
            b.append("<p>line ").append(i).append(" of a page that compresses well</p>\n");
        }
        page = b.toString();
        Files.writeString(www.resolve("page.html"), page);
        Files.writeString(www.resolve("small.html"), "0123456789");
        Files.writeString(www.resolve("mid.html"), page.substring(0, 8 * 1024)); // read whole, with its head
        Files.writeString(www.resolve("notes.txt"), page);
        for (String dir : new String[]{"any", "vary"}) {
            Files.createDirectories(www.resolve(dir));
            Files.writeString(www.resolve(dir + "/page.html"), page);
            Files.writeString(www.resolve(dir + "/notes.txt"), page);
        }
        rt = Fixtures.runtime(serverConf(server().root(www).modules(gzip(www, false, false, false)).nest(
                prefix("/any/").modules(gzip(www, true, true, true))
                        .nest(prefix("/any/ret").ret(200, page)),
                prefix("/vary/").modules(gzip(www, false, true, false))),
                "example.com"));
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(previous);
    }

    private static String get(String uri, String... headers) {
        return "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\n" + String.join("", headers) + "\r\n";
    }

    private static String ae() {
        return "Accept-Encoding: gzip, deflate\r\n";
    }

    private static String exchange(String request) {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = Wire.roundTrip(ch, request);
        assertFalse(ch.finishAndReleaseAll());
        return res;
    }

    @Test
    void staticFileIsCompressedInChunksThatInflateToTheFile() {
        String r = get("/page.html", ae());
        for (int size : new int[]{1, 7, r.length()}) {
            EmbeddedChannel ch = Wire.channel(rt);
            Responses.Response res = Responses.one(Wire.fragmented(ch, r, size));
            assertFalse(ch.finishAndReleaseAll());
            assertThat(res.status()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(res.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(res.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(res.header("Content-Length")).isNull();
            assertThat(res.header("Accept-Ranges")).isNull();
            assertThat(res.header("ETag")).startsWith("W/\"");
            assertThat(res.header("Vary")).isNull(); // gzip_vary off
            assertThat(res.body().length).isLessThan(page.length() / 4);
            assertThat(res.gunzipped()).isEqualTo(page);
        }
    }

    /**
     * A file read whole is deflated in one go and ended, as nginx's filter sees a static file's one buffer with
     * {@code last_buf}: the same bytes as one gzip stream of the file, no sync flush (an empty stored block) inside.
     */
    @Test
    void aFileReadWholeIsOneGzipStreamWithoutASyncFlush() {
        String mid = page.substring(0, 8 * 1024);
        GzipStream one = new GzipStream(1); // the level gzip() configures
        io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.copiedBuffer(mid, java.nio.charset.StandardCharsets.ISO_8859_1);
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        one.deflate(in, out);
        one.finish(out);
        byte[] expected = new byte[out.readableBytes()];
        out.readBytes(expected);
        in.release();
        out.release();
        for (int round = 0; round < 2; round++) { // the second on a deflater the first gave back
            EmbeddedChannel ch = Wire.channel(rt);
            Responses.Response res = Responses.one(Wire.roundTrip(ch, get("/mid.html", ae())));
            assertFalse(ch.finishAndReleaseAll());
            assertThat(res.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(res.gunzipped()).isEqualTo(mid);
            assertThat(res.body()).isEqualTo(expected);
        }
    }

    @Test
    void notCompressedWithoutGzipInAcceptEncoding() {
        for (String h : new String[]{"", "Accept-Encoding: deflate, br\r\n", "Accept-Encoding: gzip;q=0\r\n",
                "Accept-Encoding: xgzip\r\n"}) {
            Responses.Response res = Responses.one(exchange(get("/page.html", h)));
            assertThat(res.header("Content-Encoding")).as(h).isNull();
            assertThat(res.header("Content-Length")).isEqualTo(Integer.toString(page.length()));
            assertThat(res.text()).isEqualTo(page);
        }
        assertThat(Responses.one(exchange(get("/page.html", "Accept-Encoding: br, GZIP;q=0.5\r\n")))
                .header("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void rangesHeadShortAndOtherTypesAreUntouched() {
        Responses.Response range = Responses.one(exchange(get("/page.html", ae(), "Range: bytes=0-9\r\n")));
        assertThat(range.status()).isEqualTo("HTTP/1.1 206 Partial Content");
        assertThat(range.header("Content-Encoding")).isNull();
        assertThat(range.text()).isEqualTo(page.substring(0, 10));

        String head = exchange("HEAD /page.html HTTP/1.1\r\nHost: example.com\r\n" + ae() + "\r\n");
        assertThat(head).doesNotContain("Content-Encoding").contains("Content-Length: " + page.length() + "\r\n")
                .endsWith("\r\n\r\n");

        Responses.Response small = Responses.one(exchange(get("/small.html", ae())));
        assertThat(small.header("Content-Encoding")).isNull(); // 10 < gzip_min_length 20
        assertThat(small.text()).isEqualTo("0123456789");

        Responses.Response txt = Responses.one(exchange(get("/notes.txt", ae())));
        assertThat(txt.header("Content-Encoding")).isNull(); // text/plain is not in gzip_types
    }

    @Test
    void anyTypeReturnAndErrorPagesAreCompressedWithALength() {
        Responses.Response txt = Responses.one(exchange(get("/any/notes.txt", ae())));
        assertThat(txt.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(txt.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(txt.gunzipped()).isEqualTo(page);

        // a complete in-memory body keeps a Content-Length: the compressed one
        Responses.Response ret = Responses.one(exchange(get("/any/ret", ae())));
        assertThat(ret.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(ret.header("Transfer-Encoding")).isNull();
        assertThat(ret.header("Content-Length")).isEqualTo(Integer.toString(ret.body().length));
        assertThat(ret.gunzipped()).isEqualTo(page);

        Responses.Response missing = Responses.one(exchange(get("/missing.html", ae())));
        assertThat(missing.status()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(missing.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(missing.gunzipped()).contains("<title>404 Not Found</title>");
    }

    @Test
    void varyIsSentEvenToClientsWithoutGzip() {
        String uri = "/vary/page.html";
        Responses.Response plain = Responses.one(exchange(get(uri)));
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(plain.header("Content-Encoding")).isNull();
        Responses.Response gz = Responses.one(exchange(get(uri, ae())));
        assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.gunzipped()).isEqualTo(page);
    }

    @Test
    void pipelinedCompressedResponsesKeepTheirFraming() {
        String two = get("/page.html", ae()) + get("/small.html", ae()) + get("/page.html", ae());
        EmbeddedChannel ch = Wire.channel(rt);
        List<Responses.Response> all = Responses.parse(Wire.roundTrip(ch, two));
        assertFalse(ch.finishAndReleaseAll());
        assertThat(all).hasSize(3);
        assertThat(all.get(0).gunzipped()).isEqualTo(page);
        assertThat(all.get(1).text()).isEqualTo("0123456789");
        assertThat(all.get(2).gunzipped()).isEqualTo(page);
    }

    @Test
    void http10IsNotCompressedByDefaultAndCloseDelimitedWhenAllowed() {
        String req10 = "GET %s HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n" + ae() + "\r\n";
        Responses.Response plain = Responses.one(exchange(req10.formatted("/page.html")));
        assertThat(plain.header("Content-Encoding")).isNull(); // gzip_http_version 1.1
        assertThat(plain.header("Connection")).isEqualTo("keep-alive");

        EmbeddedChannel ch = Wire.channel(rt);
        String raw = Wire.roundTrip(ch, req10.formatted("/any/page.html"));
        Responses.Response gz = Responses.one(raw);
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.header("Connection")).isEqualTo("close");
        assertThat(gz.header("Transfer-Encoding")).isNull();
        assertThat(gz.header("Content-Length")).isNull();
        assertThat(gz.gunzipped()).isEqualTo(page);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }
}
