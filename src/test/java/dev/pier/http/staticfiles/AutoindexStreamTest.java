package dev.pier.http.staticfiles;

import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Streamed listings from configuration text: a directory of several read batches and output chunks, and nginx's
 * xml, json and jsonp formats.
 * <pre>
 * www/many/f00000 … f02999   3000 empty files
 * www/fmt/d/                 a directory
 * www/fmt/a"b.txt            "abc"
 * </pre>
 */
class AutoindexStreamTest {
    private static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    @TempDir
    static Path base;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws Exception {
        Path www = Files.createDirectories(base.resolve("www"));
        Path many = Files.createDirectories(www.resolve("many"));
        for (int i = 0; i < 3000; i++) {
            Files.createFile(many.resolve(String.format("f%05d", i)));
        }
        Files.createDirectories(www.resolve("fmt/d"));
        Files.writeString(www.resolve("fmt/a\"b.txt"), "abc");
        Files.setLastModifiedTime(www.resolve("fmt/a\"b.txt"), FileTime.from(MTIME));
        Files.setLastModifiedTime(www.resolve("fmt/d"), FileTime.from(MTIME));
        String conf = """
                http {
                  autoindex on;
                  server {
                    root %s;
                    location /x/ { autoindex_format xml; alias %s/fmt/; }
                    location /j/ { autoindex_format json; alias %s/fmt/; }
                    location /p/ { autoindex_format jsonp; alias %s/fmt/; }
                  }
                }
                """.formatted(www, www, www, www);
        rt = Fixtures.compile(conf, base, Fixtures.QUIET);
    }

    private static String get(String target) {
        EmbeddedChannel ch = Wire.channel(rt);
        String r = Wire.roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int i = 0; i < 100; i++) { // one read batch per round of the loop
            ch.runPendingTasks();
            r += Wire.drain(ch);
        }
        assertFalse(ch.finishAndReleaseAll());
        return r;
    }

    @Test
    void aLargeDirectoryIsListedCompletelyInOrder() {
        String res = get("/many/");
        assertThat(res).startsWith("HTTP/1.1 200 OK").contains("Transfer-Encoding: chunked");
        String body = AutoindexTest.dechunk(res);
        int last = -1;
        for (int i = 0; i < 3000; i++) {
            int at = body.indexOf("<a href=\"" + String.format("f%05d", i) + "\">");
            assertThat(at).as("entry %d after the previous one", i).isGreaterThan(last);
            last = at;
        }
        assertThat(body).endsWith("</pre><hr></body>\r\n</html>\r\n");
        // many chunks, not one page
        assertThat(res.split("\r\n[0-9a-f]+\r\n").length).isGreaterThan(3);
    }

    @Test
    void xml() {
        String res = get("/x/");
        assertThat(res).contains("Content-Type: text/xml; charset=utf-8");
        assertThat(AutoindexTest.dechunk(res)).isEqualTo("<?xml version=\"1.0\"?>\r\n<list>\r\n"
                + "<directory mtime=\"2024-01-02T03:04:05Z\">d</directory>\r\n"
                + "<file mtime=\"2024-01-02T03:04:05Z\" size=\"3\">a&quot;b.txt</file>\r\n"
                + "</list>\r\n");
    }

    @Test
    void jsonAndJsonp() {
        String json = "[\r\n{ \"name\":\"d\", \"type\":\"directory\", \"mtime\":\"Tue, 02 Jan 2024 03:04:05 GMT\" },"
                + "\r\n{ \"name\":\"a\\\"b.txt\", \"type\":\"file\", \"mtime\":\"Tue, 02 Jan 2024 03:04:05 GMT\", "
                + "\"size\":3 }\r\n]";
        String res = get("/j/");
        assertThat(res).contains("Content-Type: application/json");
        assertThat(AutoindexTest.dechunk(res)).isEqualTo(json);
        String p = get("/p/?callback=cb.x_1");
        assertThat(p).contains("Content-Type: application/javascript");
        assertThat(AutoindexTest.dechunk(p)).isEqualTo("/* callback */\r\ncb.x_1(" + json + ");");
        assertThat(AutoindexTest.dechunk(get("/p/"))).isEqualTo(json); // no callback: plain json
        assertThat(get("/p/?callback=alert(1)")).startsWith("HTTP/1.1 400");
    }
}
