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

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class StaticFilesTest {
    /*
     * base/
     *   secret.txt          outside the root: must never be served
     *   www/                root
     *     index.html
     *     a.txt             "hello file\n"
     *     Upper.CSS
     *     blob.bin          no known extension → default_type
     *     sub/index.html
     *     sub/second.htm    only second index name exists in alt/
     *     alt/second.htm
     *     empty/            no index file
     */
    @TempDir
    static Path base;
    static HttpRuntime rt;

    @BeforeAll
    static void tree() throws Exception {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), "secret");
        Files.writeString(www.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(www.resolve("a.txt"), "hello file\n");
        Files.setLastModifiedTime(www.resolve("a.txt"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
        Files.writeString(www.resolve("Upper.CSS"), "b{}");
        Files.write(www.resolve("blob.bin"), new byte[] {0, 1, 2, (byte) 255});
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(www.resolve("sub/index.html"), "sub index");
        Files.createDirectories(www.resolve("alt"));
        Files.writeString(www.resolve("alt/second.htm"), "second");
        Files.createDirectories(www.resolve("empty"));
        Files.writeString(www.resolve("caf\u00e9.txt"), "non-ASCII name");
        if (new ProcessBuilder("mkfifo", www.resolve("pipe").toString()).start().waitFor() != 0) {
            throw new IllegalStateException("mkfifo");
        }
        rt = Fixtures.runtime(serverConf(server().root(www).index("index.html", "second.htm")
                .nest(prefix("/sub/").header("X-Sub", "1", false)), "example.com"));
    }

    @Test
    void servesFileWithTypeLengthLastModifiedAtEveryFragmentSize() {
        String req = get("/a.txt");
        for (int size = 1; size <= req.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, req, size);
            assertThat(res).startsWith("HTTP/1.1 200 OK\r\nServer: pier/0.1.0\r\n")
                    .contains("Content-Type: text/plain\r\nContent-Length: 11\r\n"
                            + "Last-Modified: Tue, 02 Jan 2024 03:04:05 GMT\r\nConnection: keep-alive\r\n")
                    .endsWith("\r\n\r\nhello file\n");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void typesByLowercasedExtensionElseDefaultType() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/Upper.CSS"))).contains("Content-Type: text/css\r\n");
        String bin = roundTrip(ch, get("/blob.bin"));
        assertThat(bin).contains("Content-Type: application/octet-stream\r\nContent-Length: 4\r\n")
                .endsWith("\r\n\r\n\0\1\2\u00ff");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void headSendsHeadersOnly() {
        EmbeddedChannel ch = Wire.channel(rt);
        String res = roundTrip(ch, "HEAD /a.txt HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(res).contains("Content-Length: 11\r\n").endsWith("\r\n\r\n");
        assertThat(roundTrip(ch, get("/a.txt"))).endsWith("hello file\n"); // still in sync afterwards
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void indexIsAnInternalRedirectThatRematchesLocations() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/"))).contains("Content-Type: text/html").endsWith("<h1>home</h1>");
        // /sub/ → /sub/index.html is matched against locations again: /sub/ adds its header
        assertThat(roundTrip(ch, get("/sub/"))).contains("X-Sub: 1").endsWith("sub index");
        assertThat(roundTrip(ch, get("/alt/"))).endsWith("second"); // first existing index name wins
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void directoryWithoutSlashRedirects() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/sub?x=1"))).startsWith("HTTP/1.1 301 Moved Permanently")
                .contains("Location: http://example.com/sub/?x=1\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void errors() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/missing.txt"))).startsWith("HTTP/1.1 404 Not Found")
                .contains("Connection: keep-alive");
        assertThat(roundTrip(ch, get("/a.txt/x"))).startsWith("HTTP/1.1 404 Not Found"); // ENOTDIR
        assertThat(roundTrip(ch, get("/empty/"))).startsWith("HTTP/1.1 403 Forbidden");
        assertThat(roundTrip(ch, get("/nodir/"))).startsWith("HTTP/1.1 404 Not Found");
        assertThat(roundTrip(ch, "POST /a.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405 Not Allowed");
        assertThat(roundTrip(ch, "POST /missing HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 404"); // nginx looks the file up before refusing POST
        assertThat(roundTrip(ch, "DELETE /a.txt HTTP/1.1\r\nHost: h\r\n\r\n")).startsWith("HTTP/1.1 405");
        // a FIFO is opened non-blocking (nothing waits for a writer) and is not a regular file
        assertThat(roundTrip(ch, get("/pipe"))).startsWith("HTTP/1.1 404 Not Found");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aNameBeyondAsciiIsServedToo() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/caf%C3%A9.txt"))).startsWith("HTTP/1.1 200").endsWith("non-ASCII name");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void traversalNeverLeavesTheRoot() {
        for (String uri : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt",
                "/%2E%2E%2Fsecret.txt", "/a.txt%00.html", "/sub/../../secret.txt"}) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = roundTrip(ch, get(uri));
            assertThat(res).as(uri).startsWith("HTTP/1.1 400 Bad Request").doesNotContain("secret");
            assertFalse(ch.finishAndReleaseAll());
        }
        EmbeddedChannel ch = Wire.channel(rt);
        // dot segments that stay inside the root are resolved, not refused
        assertThat(roundTrip(ch, get("/sub/%2e%2e/a.txt"))).startsWith("HTTP/1.1 200").endsWith("hello file\n");
        assertThat(roundTrip(ch, get("//sub//..//a.txt"))).startsWith("HTTP/1.1 200");
        assertFalse(ch.finishAndReleaseAll());
    }
}
