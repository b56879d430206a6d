package dev.pier.http.staticfiles;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.StaticConf;
import dev.pier.http.DateCache;
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
import java.util.Optional;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** ETag, 304, 412, Range/206/416, If-Range, Accept-Ranges, expires on static files. */
class ConditionalTest {
    private static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    /** nginx's ETag: hex mtime seconds - hex size. */
    private static final String ETAG = "\"" + Long.toHexString(MTIME.getEpochSecond()) + "-a\"";
    private static final String LM = DateCache.format(MTIME.toEpochMilli()).toString();

    @TempDir
    static Path www;
    static HttpRuntime rt;

    @BeforeAll
    static void tree() throws Exception {
        Files.writeString(www.resolve("f.txt"), "0123456789");
        Files.setLastModifiedTime(www.resolve("f.txt"), FileTime.from(MTIME));
        Files.createDirectories(www.resolve("before"));
        Files.writeString(www.resolve("before/f.txt"), "0123456789");
        Files.setLastModifiedTime(www.resolve("before/f.txt"), FileTime.from(MTIME));
        rt = Fixtures.runtime(serverConf(server().root(www).nest(prefix("/before/").modules(
                ConfModules.defaults(www).with(StaticConf.class, new StaticConf(false,
                        StaticConf.IfModifiedSince.BEFORE, Optional.of(new StaticConf.Expires(
                                StaticConf.Expires.Kind.MAX, 0, false)))))), "example.com"));
    }

    private static String req(String uri, String... headers) {
        return "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\n" + String.join("", headers) + "\r\n";
    }

    @Test
    void rangeAtEveryFragmentSize() {
        String r = req("/f.txt", "Range: bytes=2-4\r\n");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            assertThat(Wire.fragmented(ch, r, size)).startsWith("HTTP/1.1 206 Partial Content\r\n")
                    .contains("Content-Length: 3\r\n").contains("Content-Range: bytes 2-4/10\r\n").endsWith("\r\n234");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void multipleRangesAsMultipartAtEveryFragmentSize() {
        String r = req("/f.txt", "Range: bytes=0-1,-2\r\n");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, r, size);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("Content-Type: multipart/byteranges; boundary=(\\d{20})\r\n").matcher(res);
            assertThat(m.find()).as(res).isTrue();
            String b = m.group(1);
            String body = "\r\n--" + b + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
                    + "\r\n--" + b + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 8-9/10\r\n\r\n89"
                    + "\r\n--" + b + "--\r\n";
            assertThat(res).startsWith("HTTP/1.1 206 Partial Content\r\n")
                    .contains("Content-Length: " + body.length() + "\r\n").endsWith("\r\n\r\n" + body);
            assertFalse(ch.finishAndReleaseAll());
        }
        // the file stays open across slices and pipelined requests still work after it
        EmbeddedChannel ch = Wire.channel(rt);
        String two = Wire.roundTrip(ch, r + r);
        assertThat(two.split("HTTP/1.1 206 ", -1)).hasSize(3);
        assertThat(two.split("\r\n\r\n89\r\n--", -1)).hasSize(3);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void rangesSuffixOpenUnsatisfiableAndIfRange() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=-3\r\n"))).endsWith("789");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=8-\r\n"))).endsWith("89");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=20-30\r\n")))
                .startsWith("HTTP/1.1 416 Requested Range Not Satisfiable").contains("Content-Range: bytes */10\r\n");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=0-1\r\n", "If-Range: \"old\"\r\n")))
                .startsWith("HTTP/1.1 200 OK").contains("Accept-Ranges: bytes\r\n").endsWith("0123456789");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=0-1\r\n", "If-Range: " + ETAG + "\r\n")))
                .startsWith("HTTP/1.1 206").endsWith("01");
        // overlapping ranges adding up to more than the file: nginx sends it whole
        assertThat(Wire.roundTrip(ch, req("/f.txt", "Range: bytes=0-5,3-9\r\n"))).startsWith("HTTP/1.1 200 OK");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void notModifiedAndPreconditionFailed() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, req("/f.txt"))).contains("ETag: " + ETAG + "\r\n");
        String nm = Wire.roundTrip(ch, req("/f.txt", "If-None-Match: W/\"x\", " + ETAG + "\r\n"));
        assertThat(nm).startsWith("HTTP/1.1 304 Not Modified\r\n").contains("ETag: " + ETAG)
                .doesNotContain("Content-Length").endsWith("\r\n\r\n");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "If-Modified-Since: " + LM + "\r\n"))).startsWith("HTTP/1.1 304");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "If-None-Match: \"other\"\r\n", "If-Modified-Since: " + LM
                + "\r\n"))).startsWith("HTTP/1.1 200"); // both must say "not modified"
        assertThat(Wire.roundTrip(ch, req("/f.txt", "If-Match: \"other\"\r\n"))).startsWith("HTTP/1.1 412");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "If-Match: " + ETAG + "\r\n"))).startsWith("HTTP/1.1 200");
        assertThat(Wire.roundTrip(ch, req("/f.txt", "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n")))
                .startsWith("HTTP/1.1 412");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void ifModifiedSinceBeforeEtagOffAndExpiresMax() {
        EmbeddedChannel ch = Wire.channel(rt);
        String later = "If-Modified-Since: Wed, 03 Jan 2024 00:00:00 GMT\r\n";
        assertThat(Wire.roundTrip(ch, req("/f.txt", later))).startsWith("HTTP/1.1 200"); // exact: dates differ
        String res = Wire.roundTrip(ch, req("/before/f.txt", later));
        assertThat(res).startsWith("HTTP/1.1 304").doesNotContain("ETag")
                .contains("Expires: Thu, 31 Dec 2037 23:55:55 GMT\r\nCache-Control: max-age=315360000\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }
}
