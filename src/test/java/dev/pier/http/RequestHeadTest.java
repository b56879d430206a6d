package dev.pier.http;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.LimitsConf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Request heads checked with nginx's rules (RFC 9112's smuggling defences, header limits, invalid names), through the
 * whole pipeline, each fed whole and split at every fragment size; a request follows on the same connection to show
 * that a refused one poisons nothing (it is never served) and that an accepted one keeps the stream in step.
 */
class RequestHeadTest {
    private static HttpRuntime runtime(LimitsConf limits) {
        return Fixtures.runtime(serverConf(server().modules(ConfModules.defaults(Path.of("/"))
                .with(dev.pier.config.bind.ClientBodyConf.class, new dev.pier.config.bind.ClientBodyConf(0))
                .with(LimitsConf.class, limits)).nest(
                exact("/hello").ret(200, "hello"), exact("/echo").ret(200, "[$http_x_u][$http_x_y]")), "example.com"));
    }

    private static final HttpRuntime RT = runtime(LimitsConf.DEFAULTS);

    private static LimitsConf limits(int number, int size, boolean ignoreInvalid, boolean underscores) {
        LimitsConf d = LimitsConf.DEFAULTS;
        return new LimitsConf(d.clientHeaderTimeoutMs(), d.clientHeaderBufferSize(), number, size, ignoreInvalid,
                underscores, d.clientBodyTimeoutMs(), d.sendTimeoutMs(), false, d.lingeringClose(),
                d.lingeringTimeMs(), d.lingeringTimeoutMs());
    }

    private static final String NEXT = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";

    /** Fed whole and at every fragment size: the same first status line, and the connection ends as expected. */
    private static String statusAtEveryFragmentSize(HttpRuntime rt, String request, boolean refused) {
        String wire = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0") + NEXT;
        String first = null;
        for (int size = wire.length(); size >= 1; size--) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, wire, size);
            String status = res.isEmpty() ? "" : res.substring(0, res.indexOf("\r\n"));
            if (first == null) {
                first = status;
            }
            assertThat(status).as("fragment size %d", size).isEqualTo(first);
            if (refused) {
                assertThat(res).as("fragment size %d", size).contains("Connection: close")
                        .containsOnlyOnce("HTTP/1.1 "); // the request behind it is never served
                assertThat(ch.isOpen()).isFalse();
            } else {
                assertThat(res.split("HTTP/1.1 200 OK", -1)).as("fragment size %d", size).hasSize(3);
                assertThat(ch.isOpen()).isTrue();
            }
            assertFalse(ch.finishAndReleaseAll());
        }
        return first;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // RFC 9112 §6.3: framing that two parsers could read two ways
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n0\\r\\n\\r\\n|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabcd|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +3\\r\\n\\r\\nabc|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
            "POST /hello HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n|501",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n|501",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n0\\r\\n\\r\\n|501",
            // RFC 9112 §5.2 obs-fold, bare CR, whitespace and control bytes
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\r\\n c\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\n Host: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\rHost: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\rX: y\\r\\n\\r\\n|400",
            "GET /he\\0llo HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /he\tllo HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX: a\\0b\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX y: ab\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX : ab\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\n: ab\\r\\n\\r\\n|400",
            "get /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1 x\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1234\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello HTTQ/1.1\\r\\nHost: a\\r\\n\\r\\n|400",
            "GET /hello\\r\\nHost: a\\r\\n\\r\\n|400",
            "' GET /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n'|400", // quoted: CsvSource trims
            // Host: duplicate or missing on HTTP/1.1
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nhost: a\\r\\n\\r\\n|400",
            "GET /hello HTTP/1.1\\r\\n\\r\\n|400"})
    void refusedWithConnectionClose(String request, String status) {
        assertThat(statusAtEveryFragmentSize(RT, request, true)).startsWith("HTTP/1.1 " + status);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GET /hello HTTP/1.1\\nHost: a\\n\\n", // a bare LF ends a line, as in nginx
            "\\r\\n\\r\\nGET /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n", // empty lines before the request line
            "GET  /hello HTTP/1.1  \\r\\nHost: a\\r\\n\\r\\n",
            "GET http://a/hello HTTP/1.1\\r\\nHost: b\\r\\n\\r\\n", // absolute-form: its host wins (RFC 9112 §3.2.2)
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX_Under: 1\\r\\nX@y: 2\\r\\nnocolon\\r\\n\\r\\n",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: Chunked\\r\\n\\r\\n3;ext=1\\r\\nabc\\r\\n0\\r\\n\\r\\n",
            "POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "GET /hello HTTP/1.1\\r\\nHost: a\\r\\nX: caf\u00e9\\r\\n\\r\\n"})
    void acceptedAndInStep(String request) {
        assertThat(statusAtEveryFragmentSize(RT, request, false)).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void requestLineOverALargeBufferIs414HeaderLineIs400TooLarge() {
        HttpRuntime rt = runtime(limits(2, 64, true, false));
        String longUri = "GET /" + "a".repeat(80) + " HTTP/1.1\r\nHost: a\r\n\r\n";
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, longUri)).startsWith("HTTP/1.1 414 Request-URI Too Large");
        assertFalse(ch.finishAndReleaseAll());

        String longHeader = "GET /hello HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(80) + "\r\n\r\n";
        ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, longHeader)).startsWith("HTTP/1.1 400 Bad Request")
                .contains("<title>400 Request Header Or Cookie Too Large</title>");
        assertFalse(ch.finishAndReleaseAll());

        // every line fits, the head does not fit in 2 x 64 bytes
        String many = "GET /hello HTTP/1.1\r\nHost: a\r\n" + "X-Aaaaaaaaaa: bbbbbbbbbbbbbbbbbbbb\r\n".repeat(4) + "\r\n";
        ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, many)).contains("Request Header Or Cookie Too Large");
        assertFalse(ch.finishAndReleaseAll());

        // refused as soon as the limit passes, not when the line ends: a header bomb never completes
        ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, "GET /hello HTTP/1.1\r\nX: " + "b".repeat(100))).startsWith("HTTP/1.1 400");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    /** A line of exactly a large buffer's size fits; one byte more is refused, whole or split anywhere. */
    @Test
    void theLineLimitsAreExactAtEveryFragmentSize() {
        HttpRuntime rt = runtime(limits(2, 64, true, false));
        String line = "GET /hello?" + "a".repeat(44) + " HTTP/1.1"; // 64 bytes
        assertThat(line).hasSize(64);
        assertThat(statusAtEveryFragmentSize(rt, line + "\r\nHost: a\r\n\r\n", false)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusAtEveryFragmentSize(rt, line.replace("?", "?a") + "\r\nHost: a\r\n\r\n", true))
                .startsWith("HTTP/1.1 414");

        String header = "X-Long: " + "b".repeat(56); // 64 bytes
        String head = "GET /hello HTTP/1.1\r\nHost: a\r\n";
        assertThat(statusAtEveryFragmentSize(rt, head + header + "\r\n\r\n", false)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusAtEveryFragmentSize(rt, head + header + "b\r\n\r\n", true))
                .startsWith("HTTP/1.1 400");
        String name = "X-" + "n".repeat(62); // a 64-byte name alone on its line, then one of 65
        assertThat(statusAtEveryFragmentSize(rt, head + name + "\r\n\r\n", false)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusAtEveryFragmentSize(rt, head + name + "n: v\r\n\r\n", true)).startsWith("HTTP/1.1 400");
    }

    @Test
    void invalidAndUnderscoredNamesFollowTheFlags() {
        String req = "GET /echo HTTP/1.1\nHost: a\nX.y: 1\nX_u: 2\n\n";
        // nginx's defaults: both names invalid, both lines dropped (and reported for the info log)
        assertThat(served(limits(4, 8192, true, false), req)).isEqualTo("GET /echo HTTP/1.1|Host=a|");
        // ignore_invalid_headers off: both kept
        assertThat(served(limits(4, 8192, false, false), req)).isEqualTo("GET /echo HTTP/1.1|Host=a|X.y=1|X_u=2|");
        // underscores_in_headers on: X_u is valid, X.y still dropped
        assertThat(served(limits(4, 8192, true, true), req)).isEqualTo("GET /echo HTTP/1.1|Host=a|X_u=2|");
        // and through the pipeline the request is served either way
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(Wire.roundTrip(ch, req)).startsWith("HTTP/1.1 200");
        assertFalse(ch.finishAndReleaseAll());
    }

    /**
     * {@code ignore_invalid_headers off} keeps a name with a byte that neither nginx's table nor an HTTP token allows;
     * the request's header map takes it as checked ({@link HeaderMaps}), not refusing it a second time.
     */
    @Test
    void aKeptNameOutsideTheTokenBytesReachesTheHeaderMap() {
        String req = "GET /echo HTTP/1.1\r\nHost: a\r\nX@y: 1\r\n\r\n";
        assertThat(served(limits(4, 8192, false, false), req)).isEqualTo("GET /echo HTTP/1.1|Host=a|X@y=1|");
    }

    @Test
    void aDuplicateHostIsRefusedNamingBothValues() {
        RequestHeadScanner s = new RequestHeadScanner(limits(4, 8192, true, false));
        io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.copiedBuffer(
                "GET / HTTP/1.1\r\nHost:  a \r\nX: y\r\nhost: b\r\n\r\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(s.scan(in)).isEqualTo(RequestHeadScanner.Status.REJECTED);
        assertThat(s.rejection().getMessage())
                .isEqualTo("client sent duplicate host header: \"Host: b\", previous value: \"Host: a\"");
        in.release();
    }

    @Test
    void theRequestIsBuiltFromTheCheckedLines() {
        String req = "PUT /a?b=c HTTP/1.1\r\nHost:  x \r\nX-Empty:\r\nX-Tab:\tv\tw\t\r\nhost2\r\n"
                + "Content-Length: 007\r\n\r\n";
        LimitsConf limits = limits(4, 8192, false, false);
        assertThat(served(limits, req))
                .isEqualTo("PUT /a?b=c HTTP/1.1|Host=x|X-Empty=|X-Tab=v\tw|host2=|Content-Length=007|");
        RequestHeadScanner s = new RequestHeadScanner(limits);
        io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.copiedBuffer(req,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(s.scan(in)).isEqualTo(RequestHeadScanner.Status.DONE);
        assertThat(s.hasBody()).isTrue();
        io.netty.buffer.ByteBuf framing = s.framing(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(framing.toString(java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("POST / HTTP/1.1\r\nContent-Length: 7\r\n\r\n");
        framing.release();
        in.release();
    }

    /**
     * The framing the scan noted ({@link ScannedRequest}) answers as Netty's lookups in the request's header map do,
     * for every framing the scan accepts.
     */
    @Test
    void theScannedFramingAnswersAsTheHeaderMap() {
        String[] heads = {
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 012\r\n\r\n",
                "POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: CHUNKED\r\nX-A: b\r\n\r\n",
        };
        for (String head : heads) {
            RequestHeadScanner s = new RequestHeadScanner(limits(4, 8192, true, false));
            io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.copiedBuffer(head,
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                assertThat(s.scan(in)).as(head).isEqualTo(RequestHeadScanner.Status.DONE);
                io.netty.handler.codec.http.HttpRequest r = s.request();
                assertThat(r).isInstanceOf(ScannedRequest.class);
                // the same head without the scan's notes: Netty's lookups in the map
                var plain = new io.netty.handler.codec.http.DefaultHttpRequest(r.protocolVersion(), r.method(),
                        r.uri(), r.headers());
                assertThat(ScannedRequest.contentLength(r)).as(head)
                        .isEqualTo(ScannedRequest.contentLength(plain))
                        .isEqualTo(io.netty.handler.codec.http.HttpUtil.getContentLength(r, -1L));
                assertThat(ScannedRequest.chunked(r)).as(head).isEqualTo(ScannedRequest.chunked(plain))
                        .isEqualTo(io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(r));
                assertThat(ScannedRequest.hasBody(r)).as(head).isEqualTo(s.hasBody());
            } finally {
                in.release();
            }
        }
    }

    /** The request the scanner builds, as "LINE|name=value|...". */
    private static String served(LimitsConf limits, String head) {
        RequestHeadScanner s = new RequestHeadScanner(limits);
        io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.copiedBuffer(head,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            assertThat(s.scan(in)).isEqualTo(RequestHeadScanner.Status.DONE);
            assertThat(s.length()).isEqualTo(head.length());
            assertThat(s.dropped()).allMatch(l -> l.startsWith("client sent invalid header line: \"X"));
            io.netty.handler.codec.http.HttpRequest r = s.request();
            StringBuilder text = new StringBuilder(r.method() + " " + r.uri() + " " + r.protocolVersion() + "|");
            r.headers().forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('|'));
            return text.toString();
        } finally {
            in.release();
        }
    }

    @Test
    void headerTimeoutClosesSilently() {
        EmbeddedChannel ch = oneSecondHeads();
        send(ch, "GET /hello HTTP/1.1\r\nHo");
        advance(ch, 900);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 200);
        assertThat(ch.isOpen()).isFalse();
        assertThat(Wire.drain(ch)).isEmpty(); // nginx sends no 408 for a head that never completed
        assertFalse(ch.finishAndReleaseAll());
    }

    /** One second of {@code client_header_timeout}, a minute of {@code keepalive_timeout} (the default's). */
    private static EmbeddedChannel oneSecondHeads() {
        LimitsConf d = LimitsConf.DEFAULTS;
        return Wire.channel(runtime(new LimitsConf(1000, 1024, 4, 8192, true, false, 60_000, 60_000, false,
                d.lingeringClose(), d.lingeringTimeMs(), d.lingeringTimeoutMs())));
    }

    private static void send(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    /**
     * nginx's ngx_http_init_connection arms {@code client_header_timeout} when the connection opens, and reading the
     * first head does not arm it again: the first head must be whole within that time of the connection's opening,
     * however late its first byte came.
     */
    @Test
    void aNewConnectionsFirstHeadIsTimedFromTheConnectionsOpening() {
        EmbeddedChannel ch = oneSecondHeads();
        advance(ch, 600);
        send(ch, "GET /hello HTTP/1.1\r\nHo");
        advance(ch, 300);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 200); // 1.1 s after the opening, 0.5 s after the first byte
        assertThat(ch.isOpen()).isFalse();
        assertThat(Wire.drain(ch)).isEmpty();
        assertFalse(ch.finishAndReleaseAll());
    }

    /**
     * On a kept-alive connection the keep-alive wait ends with the next request's first read; a head that read left
     * incomplete has {@code client_header_timeout} from then, and later pieces of it do not extend it (nginx's
     * {@code if (!rev->timer_set)}); a head that arrives whole is answered with the keep-alive wait going on.
     */
    @Test
    void aKeptAliveConnectionsNextHeadIsTimedFromTheReadThatLeftItIncomplete() {
        EmbeddedChannel ch = oneSecondHeads();
        send(ch, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(Wire.drain(ch)).startsWith("HTTP/1.1 200");
        advance(ch, 5_000); // kept alive well past client_header_timeout
        send(ch, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(Wire.drain(ch)).startsWith("HTTP/1.1 200");
        advance(ch, 5_000);
        assertThat(ch.isOpen()).isTrue();
        send(ch, "GET /hello HTTP/1.1\r\nHo");
        advance(ch, 600);
        send(ch, "st: a\r\n"); // still incomplete: the timer keeps its deadline
        advance(ch, 300);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 200);
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }
}
