package dev.pier.http.staticfiles;

import dev.pier.config.bind.AutoindexConf;
import dev.pier.config.bind.ConfModules;
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

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * autoindex through the pipeline. Fixture tree:
 * <pre>
 * www/list/        autoindex on: a.txt (3 bytes), sub/, .hidden
 * www/withindex/   autoindex on, has index.html: the index wins
 * www/off/         autoindex off: 403
 * </pre>
 */
class AutoindexTest {
    private static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    static Path www;
    static HttpRuntime rt;

    @BeforeAll
    static void tree() throws Exception {
        Files.createDirectories(www.resolve("list/sub"));
        Files.writeString(www.resolve("list/a.txt"), "abc");
        Files.writeString(www.resolve("list/.hidden"), "secret");
        Files.setLastModifiedTime(www.resolve("list/a.txt"), FileTime.from(MTIME));
        Files.setLastModifiedTime(www.resolve("list/sub"), FileTime.from(MTIME));
        Files.createDirectories(www.resolve("withindex"));
        Files.writeString(www.resolve("withindex/index.html"), "INDEX");
        Files.createDirectories(www.resolve("off"));
        var on = ConfModules.defaults(www).with(AutoindexConf.class, new AutoindexConf(true, true, false));
        rt = Fixtures.runtime(serverConf(server().root(www).nest(prefix("/list/").modules(on),
                prefix("/withindex/").modules(on), prefix("/off/")), "example.com"));
    }

    private static final String LISTING = "<html>\r\n<head><title>Index of /list/</title></head>\r\n<body>\r\n"
            + "<h1>Index of /list/</h1><hr><pre><a href=\"../\">../</a>\r\n"
            + "<a href=\"sub/\">sub/</a>" + " ".repeat(46) + " 02-Jan-2024 03:04                   -\r\n"
            + "<a href=\"a.txt\">a.txt</a>" + " ".repeat(45) + " 02-Jan-2024 03:04                   3\r\n"
            + "</pre><hr></body>\r\n</html>\r\n";

    @Test
    void listingAtEveryFragmentSize() {
        String r = Wire.get("/list/");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, r, size);
            // chunked, as nginx's (it sends the header before reading the directory)
            assertThat(res).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/html\r\n")
                    .contains("Transfer-Encoding: chunked\r\n").doesNotContain("Content-Length")
                    .doesNotContain(".hidden");
            assertThat(dechunk(res)).isEqualTo(LISTING);
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    /** The body of a chunked response. */
    static String dechunk(String res) {
        StringBuilder body = new StringBuilder();
        int p = res.indexOf("\r\n\r\n") + 4;
        while (true) {
            int eol = res.indexOf("\r\n", p);
            int size = Integer.parseInt(res.substring(p, eol), 16);
            if (size == 0) {
                assertThat(res.substring(eol)).isEqualTo("\r\n\r\n");
                return body.toString();
            }
            body.append(res, eol + 2, eol + 2 + size);
            p = eol + 2 + size + 2;
        }
    }

    @Test
    void indexWinsOffIs403HeadHasNoBodyPostIs403() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, Wire.get("/withindex/"))).startsWith("HTTP/1.1 200 OK").endsWith("INDEX");
        assertThat(Wire.roundTrip(ch, Wire.get("/off/"))).startsWith("HTTP/1.1 403 Forbidden");
        assertThat(Wire.roundTrip(ch, "HEAD /list/ HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
        assertThat(Wire.roundTrip(ch, "POST /list/ HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 403 Forbidden");
        assertThat(Wire.roundTrip(ch, Wire.get("/list/missing/"))).startsWith("HTTP/1.1 404 Not Found");
        assertFalse(ch.finishAndReleaseAll());
    }
}
