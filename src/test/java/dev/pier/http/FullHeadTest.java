package dev.pier.http;

import dev.pier.log.ErrorLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FullHead} writes the bytes the header map and Netty's encoder would, and a response sent that way still
 * logs its headers and size as sent.
 */
class FullHeadTest {

    @Test
    void sameBytesAsTheHeaderMapThroughNettysEncoder() {
        int cases = 0;
        for (int code : new int[] {200, 201, 206, 301, 400, 404, 418, 500, 599, 999}) {
            for (CharSequence server : List.<CharSequence>of("pier", AsciiString.cached("pier/0.1"), "p\u00efer")) {
                for (CharSequence type : Arrays.<CharSequence>asList(null, "text/plain", AsciiString.cached(
                        "text/html; charset=utf-8"))) {
                    for (int bodyLength : new int[] {0, 6, FullHead.MERGED_BODY, FullHead.MERGED_BODY + 1, 70000}) {
                        for (boolean keepAlive : new boolean[] {true, false}) {
                            for (AsciiString ka : Arrays.asList(null, AsciiString.cached("timeout=5"))) {
                                assertSame(code, server, type, bodyLength, keepAlive, keepAlive ? ka : null,
                                        cases % 2 == 0, cases % 3 == 0);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(10 * 3 * 3 * 5 * 2 * 2);
    }

    /**
     * The thread's last head is copied only for the same response: each thing it was built from, changed on its own,
     * gives a new head (a builder's text by its characters), and the copy still gets the new body.
     */
    @Test
    void aRepeatedHeadIsReusedOnlyWhenNothingChanged() {
        AsciiString date = AsciiString.cached("Thu, 26 Nov 2026 15:00:00 GMT");
        AsciiString ka = AsciiString.cached("timeout=5");
        StringBuilder type = new StringBuilder("text/plain");
        AsciiString server = AsciiString.cached("pier");
        String first = encode(200, server, date, "text/plain", 6, null, true, ka, "hello\n");
        assertThat(encode(200, server, date, "text/plain", 6, null, true, ka, "world\n"))
                .isEqualTo(first.replace("hello", "world"));
        // each after the first head again, so that it is the one kept
        Runnable again = () -> encode(200, server, date, "text/plain", 6, null, true, ka, "hello\n");
        List<Supplier<String>> variants = List.of(
                () -> encode(201, server, date, "text/plain", 6, null, true, ka, "hello\n"),
                () -> encode(200, AsciiString.cached("pier/2"), date, "text/plain", 6, null, true, ka, "hello\n"),
                () -> encode(200, server, AsciiString.cached("Thu, 26 Nov 2026 15:00:01 GMT"), "text/plain", 6, null,
                        true, ka, "hello\n"),
                () -> encode(200, server, date, "text/html", 6, null, true, ka, "hello\n"),
                () -> encode(200, server, date, "text/plain", 5, null, true, ka, "hello"),
                () -> encode(200, server, date, "text/plain", 6, "Wed, 25 Nov 2026 10:00:00 GMT", true, ka, "hello\n"),
                () -> encode(200, server, date, "text/plain", 6, null, false, null, "hello\n"),
                () -> encode(200, server, date, "text/plain", 6, null, false, ka, "hello\n"),
                () -> encode(200, server, date, "text/plain", 6, null, true, AsciiString.cached("timeout=9"), "hello\n"));
        List<String> changed = variants.stream().map(v -> {
            again.run();
            return v.get();
        }).toList();
        assertThat(changed).doesNotHaveDuplicates().doesNotContain(first);
        assertThat(changed.get(0)).startsWith("HTTP/1.1 201 Created\r\n");
        assertThat(changed.get(4)).contains("Content-Length: 5\r\n").endsWith("\r\n\r\nhello");
        assertThat(changed.get(6)).contains("Connection: close\r\n").doesNotContain("Keep-Alive");
        assertThat(changed.get(7)).contains("Connection: close\r\n");
        encode(200, server, date, "text/plain", 6, "Wed, 25 Nov 2026 10:00:00 GMT", true, ka, "hello\n");
        assertThat(encode(200, server, date, "text/plain", 6, "Wed, 25 Nov 2026 10:00:01 GMT", true, ka, "hello\n"))
                .contains("Last-Modified: Wed, 25 Nov 2026 10:00:01 GMT\r\n"); // right after the :00 one
        assertThat(encode(200, server, date, type, 6, null, true, ka, "hello\n")).isEqualTo(first);
        assertThat(encode(200, server, date, type, 6, null, true, ka, "hello\n")).isEqualTo(first);
        type.replace(0, 4, "TEXT");
        assertThat(encode(200, server, date, type, 6, null, true, ka, "hello\n"))
                .isEqualTo(first.replace("text/plain", "TEXT/plain"));
    }

    private static String encode(int code, CharSequence server, CharSequence date, CharSequence type, int length,
                                 String lastModified, boolean keepAlive, AsciiString ka, String body) {
        ByteBuf bytes = FullHead.encode(ByteBufAllocator.DEFAULT, code, server, date, type, ContentLengths.of(length),
                lastModified, keepAlive, ka, null, Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        try {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
        }
    }

    /** A HEAD answer: no body, the length of the one a GET would get. */
    @Test
    void aBodilessAnswerKeepsItsLength() {
        ByteBuf bytes = FullHead.encode(ByteBufAllocator.DEFAULT, 200, "pier", "Thu, 26 Nov 2026 15:00:00 GMT",
                "text/plain", ContentLengths.of(6), true, null, Unpooled.EMPTY_BUFFER);
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK\r\nServer: pier\r\n"
                + "Date: Thu, 26 Nov 2026 15:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
                + "Connection: keep-alive\r\n\r\n");
        bytes.release();
    }

    @Test
    void theLogSeesTheHeadersAndSizeThatWereSent(@TempDir Path dir) throws Exception {
        String big = "x".repeat(FullHead.MERGED_BODY + 100);
        HttpRuntime rt = Fixtures.compile("""
                http {
                  log_format t '$status|$bytes_sent|$body_bytes_sent|$sent_http_content_type|$sent_http_content_length|$sent_http_connection|$sent_http_server';
                  access_log %s/access.log t;
                  server {
                    server_name t;
                    location = /small { default_type text/plain; return 200 "hello\\n"; }
                    location = /big { return 201 "%s"; }
                  }
                }
                """.formatted(dir, big), dir, ErrorLog.silent());
        EmbeddedChannel ch = Wire.channel(rt);
        String small = Wire.roundTrip(ch, "GET /small HTTP/1.1\r\nHost: t\r\n\r\n");
        String large = Wire.roundTrip(ch, "GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        ch.finishAndReleaseAll();
        rt.accessLogs().flushAndClose();

        assertThat(small).startsWith("HTTP/1.1 200 OK\r\nServer: pier").endsWith("\r\n\r\nhello\n");
        assertThat(large).startsWith("HTTP/1.1 201 Created\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\n" + big);
        String server = header(small, "Server");
        assertThat(server).startsWith("pier");
        List<String> lines = Files.readAllLines(dir.resolve("access.log"));
        assertThat(lines).containsExactly(
                "200|" + small.length() + "|6|text/plain|6|keep-alive|" + server,
                "201|" + large.length() + "|" + big.length() + "|" + header(large, "Content-Type") + "|"
                        + big.length() + "|close|" + server);
    }

    /**
     * A small static file (whole, a range, a conditional miss) is answered with the same bytes whether its head is
     * written by FullHead or, because a header filter is configured, through the header map: only the filter's own
     * line differs.
     */
    @Test
    void aSmallFileGetsTheSameAnswerEitherWay(@TempDir Path dir) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "0123456789".repeat(410)); // 4,100 bytes: read whole, not merged
        Files.writeString(www.resolve("s.txt"), "small\n");
        HttpRuntime rt = Fixtures.compile("""
                http {
                  types { text/plain txt; }
                  server {
                    server_name t;
                    root %s;
                    location /mapped/ { alias %s/; add_header X-Filter 1; }
                  }
                }
                """.formatted(www, www), dir, ErrorLog.silent());
        for (String file : List.of("f.txt", "s.txt")) {
            for (String extra : List.of("", "Range: bytes=2-5\r\n", "Range: bytes=0-1,4-5\r\n",
                    "If-None-Match: \"nope\"\r\n", "Connection: close\r\n")) {
                String direct = answer(rt, "/" + file, extra);
                String mapped = answer(rt, "/mapped/" + file, extra);
                assertThat(direct).as("%s with %s", file, extra).startsWith("HTTP/1.1 20")
                        .isEqualTo(mapped.replace("X-Filter: 1\r\n", "").replaceAll("\\d{20}", "B"));
            }
        }
    }

    /**
     * A file too large to be read whole (its body goes as file regions behind the head) is answered with the same
     * bytes whether its head is written by FullHead or through the header map: whole, HEAD, ranges above and below
     * the size read whole, several ranges, a conditional miss, a closing connection; and the log sees that head.
     */
    @Test
    void aLargeFileGetsTheSameAnswerEitherWay(@TempDir Path dir) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        StringBuilder content = new StringBuilder();
        for (int i = 0; content.length() < 40_000; i++) {
            content.append(i).append(' ');
        }
        Files.writeString(www.resolve("l.txt"), content);
        assertThat(content.length()).isGreaterThan(InlineFileBody.MAX);
        HttpRuntime rt = Fixtures.compile("""
                http {
                  types { text/plain txt; }
                  log_format t '$status|$body_bytes_sent|$sent_http_content_length|$sent_http_last_modified|$sent_http_etag|$sent_http_connection';
                  access_log %s/access.log t;
                  server {
                    server_name t;
                    root %s;
                    location /mapped/ { alias %s/; add_header X-Filter 1; }
                  }
                }
                """.formatted(dir, www, www), dir, ErrorLog.silent());
        for (String method : List.of("GET", "HEAD")) {
            for (String extra : List.of("", "Range: bytes=2-5\r\n", "Range: bytes=100-30099\r\n",
                    "Range: bytes=0-1,20000-39999\r\n", "If-None-Match: \"nope\"\r\n", "Connection: close\r\n")) {
                String direct = answer(rt, method, "/l.txt", extra);
                String mapped = answer(rt, method, "/mapped/l.txt", extra);
                assertThat(direct).as("%s with %s", method, extra).startsWith("HTTP/1.1 20")
                        .isEqualTo(mapped.replace("X-Filter: 1\r\n", "").replaceAll("\\d{20}", "B"));
            }
        }
        String whole = answer(rt, "GET", "/l.txt", "");
        assertThat(whole).contains("\r\nContent-Length: " + content.length() + "\r\n").endsWith("\r\n\r\n" + content);
        String head = answer(rt, "HEAD", "/l.txt", "");
        assertThat(head).isEqualTo(whole.substring(0, whole.indexOf("\r\n\r\n") + 4));
        rt.accessLogs().flushAndClose();
        String modified = header(whole, "Last-Modified");
        String etag = header(whole, "ETag").replace("\"", "\\x22"); // the log escapes quotes, as nginx's
        assertThat(Files.readAllLines(dir.resolve("access.log")).getFirst())
                .isEqualTo("200|" + content.length() + "|" + content.length() + "|" + modified + "|" + etag
                        + "|keep-alive");
    }

    private static String answer(HttpRuntime rt, String uri, String extra) {
        return answer(rt, "GET", uri, extra);
    }

    private static String answer(HttpRuntime rt, String method, String uri, String extra) {
        EmbeddedChannel ch = Wire.channel(rt);
        String out = Wire.roundTrip(ch, method + " " + uri + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n");
        ch.runPendingTasks();
        out += Wire.drain(ch);
        ch.finishAndReleaseAll();
        return out.replaceAll("(?m)^Date: [^\r]*\r\n", "").replaceAll("\\d{20}", "B");
    }

    private static String header(String response, String name) {
        int at = response.indexOf("\r\n" + name + ": ");
        assertThat(at).as("%s in %s", name, response).isPositive();
        int from = at + name.length() + 4;
        return response.substring(from, response.indexOf("\r\n", from));
    }

    private static void assertSame(int code, CharSequence server, CharSequence type, int bodyLength,
                                   boolean keepAlive, AsciiString keepAliveHeader, boolean file, boolean extraLines) {
        byte[] body = new byte[bodyLength];
        Arrays.fill(body, (byte) 'b');
        String date = "Thu, 26 Nov 2026 15:00:00 GMT";
        AsciiString length = ContentLengths.of(bodyLength);
        String modified = file ? "Wed, 25 Nov 2026 10:11:12 GMT" : null;
        HttpHeaders extra = null;
        if (extraLines) {
            extra = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
            extra.add("ETag", "\"6925e1e0-1000\"");
            extra.add(AsciiString.cached("Accept-Ranges"), AsciiString.cached("bytes"));
            extra.add("X-Many", "a");
            extra.add("X-Many", "b");
        }

        ByteBuf mine = FullHead.encode(ByteBufAllocator.DEFAULT, code, server, date, type, length, modified,
                keepAlive, keepAliveHeader, extra, Unpooled.wrappedBuffer(body));
        byte[] got = new byte[mine.readableBytes()];
        mine.readBytes(got);
        mine.release();
        if (bodyLength > FullHead.MERGED_BODY) { // the caller writes a large body after the head
            byte[] whole = Arrays.copyOf(got, got.length + bodyLength);
            System.arraycopy(body, 0, whole, got.length, bodyLength);
            got = whole;
        }

        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        h.add("Server", server);
        h.add("Date", date);
        if (type != null) {
            h.add("Content-Type", type);
        }
        h.add("Content-Length", length);
        if (modified != null) {
            h.add("Last-Modified", modified);
        }
        h.add("Connection", keepAlive ? "keep-alive" : "close");
        if (keepAliveHeader != null) {
            h.add("Keep-Alive", keepAliveHeader);
        }
        if (extra != null) {
            h.add(extra);
        }
        EmbeddedChannel netty = new EmbeddedChannel(new HttpResponseEncoder());
        netty.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, Statuses.of(code),
                Unpooled.wrappedBuffer(body), h, EmptyHttpHeaders.INSTANCE));
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuf b; (b = netty.readOutbound()) != null; ) {
            byte[] p = new byte[b.readableBytes()];
            b.readBytes(p);
            b.release();
            parts.add(p);
        }
        netty.finishAndReleaseAll();
        byte[] expected = parts.stream().reduce(new byte[0], (a, b) -> {
            byte[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        });
        assertThat(new String(got, StandardCharsets.ISO_8859_1))
                .as("code %d, server %s, type %s, body %d, keep-alive %s %s, file %s, extra %s", code, server,
                        type, bodyLength, keepAlive, keepAliveHeader, file, extraLines)
                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
    }
}
