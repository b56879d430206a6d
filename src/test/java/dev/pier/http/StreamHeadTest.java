package dev.pier.http;

import dev.pier.config.bind.LocationConf;
import dev.pier.log.ErrorLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A streamed head written as bytes ({@link StreamHead}) and its body framed by {@link ResponseEncoder} give the
 * bytes the header map and Netty's encoder give, and the log sees what was sent.
 */
class StreamHeadTest {
    private static final String BACKEND_DATE = "Mon, 01 Jan 2001 00:00:00 GMT";
    /** The length of the {@code Date} line {@link #answer} takes out (every date has the same length). */
    private static final int DATE_LINE = ("Date: " + BACKEND_DATE + "\r\n").length();

    /** One streamed answer: a status, the given lines, the body's pieces and its last piece. */
    private record Answer(HttpResponseStatus status, List<String[]> lines, List<String> pieces, String last,
                          List<String[]> trailers) {
    }

    private static final List<Answer> ANSWERS = List.of(
            new Answer(HttpResponseStatus.OK, List.of(h("Content-Type", "text/html"), h("Content-Length", "11")),
                    List.of("hello", " world"), "", List.of()),
            new Answer(HttpResponseStatus.valueOf(200, "Fine"), List.of(h("Content-Type", "text/plain"),
                    h("X-Custom", "caf\u00e9")), List.of("a", "", "bcd"), "tail", List.<String[]>of(h("X-T", "1"))),
            new Answer(HttpResponseStatus.NOT_FOUND, List.of(h("Server", "backend/1"), h("Date", BACKEND_DATE),
                    h("Set-Cookie", "a=1"), h("set-cookie", "b=2"), h("X-Hidden", "no"),
                    h("Location", "http://backend/x"), h("Last-Modified", BACKEND_DATE)), List.of("gone"), "",
                    List.of()),
            new Answer(HttpResponseStatus.valueOf(599), List.<String[]>of(h("Content-Length", "0")), List.of(), "",
                    List.of()),
            new Answer(HttpResponseStatus.PARTIAL_CONTENT, List.of(h("Content-Range", "bytes 0-3/10"),
                    h("Content-Length", "4")), List.of("01", "23"), "", List.of()),
            new Answer(HttpResponseStatus.OK, List.of(h("content-type", "text/first"), h("Content-Type", "text/second"),
                    h("LOCATION", "http://backend/y"), h("content-length", "2")), List.of("ok"), "", List.of()));

    private static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    /**
     * Answers {@code /.../N} with {@link #ANSWERS}[N] through {@link #REWRITE} ({@link #OTHER_REWRITE} when the query
     * ends in {@code -b}); the query also says what kind of head: a header map (none, {@code plain}), kept lines
     * ({@code lines}, {@code changed}) or the shared lines that keep {@link #MEMO} ({@code memo}).
     */
    static final class Streamer implements HttpModule {
        @Override
        public Optional<PhaseHandler> content(LocationConf loc) {
            return Optional.of(ex -> {
                ex.takeOver(new ExchangeListener() {
                    @Override
                    public void content(HttpContent piece) {
                        piece.release();
                    }

                    @Override
                    public void bodyRejected() {
                    }
                });
                int n = Integer.parseInt(ex.uri().substring(ex.uri().lastIndexOf('/') + 1));
                Answer a = ANSWERS.get(n);
                String args = ex.args() == null ? "" : ex.args();
                HttpResponse res;
                if (args.startsWith("memo")) { // the same lines and memo each time, as a backend's repeated head
                    res = new KeptLines(a.status(), MEMO_LINES.get(n), MEMO);
                } else if (args.equals("lines") || args.equals("changed")) { // kept lines, as a parse keeps them
                    KeptLines kept = new KeptLines(a.status(), a.lines());
                    if (args.equals("changed")) {
                        kept.headers().add("X-Changed", "after the parse");
                    }
                    lastKept = kept;
                    res = kept;
                } else {
                    res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, a.status());
                    for (String[] line : a.lines()) {
                        res.headers().add(line[0].equals("Set-Cookie") ? AsciiString.cached(line[0]) : line[0],
                                line[1]);
                    }
                }
                ex.sendHead(res, args.endsWith("-b") ? OTHER_REWRITE : REWRITE);
                for (String p : a.pieces()) {
                    ex.sendContent(new DefaultHttpContent(ascii(p)), false);
                }
                LastHttpContent last = new DefaultLastHttpContent(ascii(a.last()));
                a.trailers().forEach(t -> last.trailingHeaders().add(t[0], t[1]));
                ex.finishResponse(last);
                return PhaseResult.DONE;
            });
        }
    }

    /** Drops {@code X-Hidden}, rewrites {@code Location}. */
    private static final HeadRewrite REWRITE = (name, value) ->
            AsciiString.contentEqualsIgnoreCase(name, "X-Hidden") ? null
                    : AsciiString.contentEqualsIgnoreCase(name, "Location") ? "http://front/x" : value;
    /** Another rewrite ({@code ?…-b}): passes {@code X-Hidden}, rewrites {@code Location} elsewhere. */
    private static final HeadRewrite OTHER_REWRITE = (name, value) ->
            AsciiString.contentEqualsIgnoreCase(name, "Location") ? "http://other/y" : value;
    /** Each answer's lines, one array for every {@code ?memo} response, and the memo they share. */
    private static final List<CharSequence[]> MEMO_LINES = ANSWERS.stream()
            .map(a -> a.lines().stream().flatMap(Arrays::stream).toArray(CharSequence[]::new)).toList();
    private static final StreamHeadMemo MEMO = new StreamHeadMemo();

    /** The last {@link KeptLines} head {@link Streamer} sent. */
    private static KeptLines lastKept;

    /** A head that keeps its lines and builds its header map when asked ({@link HeadLines}), as a parsed one does. */
    private static final class KeptLines extends DefaultHttpResponse implements HeadLines {
        private CharSequence[] lines;
        private HttpHeaders map;

        private final StreamHeadMemo memo;

        KeptLines(HttpResponseStatus status, List<String[]> given) {
            this(status, given.stream().flatMap(Arrays::stream).toArray(CharSequence[]::new), null);
        }

        KeptLines(HttpResponseStatus status, CharSequence[] lines, StreamHeadMemo memo) {
            super(HttpVersion.HTTP_1_1, status, EmptyHttpHeaders.INSTANCE);
            this.lines = lines;
            this.memo = memo;
        }

        @Override
        public StreamHeadMemo memo() {
            return lines != null ? memo : null;
        }

        @Override
        public HttpHeaders headers() {
            if (map == null) {
                map = HeadLines.map(lines);
                lines = null;
            }
            return map;
        }

        @Override
        public CharSequence[] lines() {
            return lines;
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /**
     * Each answer to each kind of request (keep-alive, close, HTTP/1.0, HEAD) is the same whether its head is
     * written as bytes or, because the location has a header filter, through the header map: only the filter's line
     * differs. The log's {@code $bytes_sent} counts the head that was written.
     */
    @Test
    void sameAnswerEitherWay(@TempDir Path dir) throws Exception {
        HttpRuntime rt = runtime(dir);
        int cases = 0;
        String first = null;
        for (int n = 0; n < ANSWERS.size(); n++) {
            for (String request : List.of("GET %s HTTP/1.1\r\nHost: t\r\n\r\n",
                    "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "GET %s HTTP/1.0\r\n\r\n",
                    "HEAD %s HTTP/1.1\r\nHost: t\r\n\r\n")) {
                String direct = answer(rt, request.formatted("/direct/" + n));
                String mapped = answer(rt, request.formatted("/mapped/" + n));
                assertThat(direct).as("answer %d to %s", n, request).startsWith("HTTP/1.1 ")
                        .isEqualTo(mapped.replace("X-Filter: 1\r\n", ""));
                first = first == null ? direct : first;
                cases++;
            }
        }
        rt.accessLogs().flushAndClose();
        List<String> log = Files.readAllLines(dir.resolve("access.log"));
        assertThat(log).hasSize(cases * 2);
        assertThat(log.getFirst()).as("$bytes_sent: the head as written and the body")
                .isEqualTo("200|" + (first.indexOf("\r\n\r\n") + 4 + DATE_LINE + 11)
                        + "|11|11|text/html|keep-alive|-|-");
        String gone = answer(rt, "GET /direct/2 HTTP/1.1\r\nHost: t\r\n\r\n"); // the backend's Date is kept
        assertThat(log.get(2 * 4 * 2)).as("the rewritten and passed lines, as sent")
                .isEqualTo("404|" + (gone.indexOf("\r\n\r\n") + 4 + 4) + "|4|-|-|keep-alive|http://front/x|a=1, b=2");
    }

    @Test
    void theLinesComeInNginxsOrderAndTheBodyInChunks(@TempDir Path dir) throws Exception {
        String got = answer(runtime(dir), "GET /direct/2 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(got).isEqualTo("HTTP/1.1 404 Not Found\r\nServer: backend/1\r\nDate: " + BACKEND_DATE + "\r\n"
                + "Last-Modified: " + BACKEND_DATE + "\r\nLocation: http://front/x\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n"
                + "Set-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n"
                + "4\r\ngone\r\n0\r\n\r\n");
    }

    /** The runtimes a test compiled: their access logs are closed before its temp directory is deleted. */
    private final List<HttpRuntime> runtimes = new ArrayList<>();

    @AfterEach
    void closeAccessLogs() {
        runtimes.forEach(rt -> rt.accessLogs().flushAndClose()); // the log's writer thread creates the file
    }

    private HttpRuntime runtime(Path dir) throws Exception {
        Path file = dir.resolve("pier.conf");
        String conf = """
                http {
                  log_format t '$status|$bytes_sent|$body_bytes_sent|$sent_http_content_length|$sent_http_content_type|$sent_http_connection|$sent_http_location|$sent_http_set_cookie';
                  access_log %s/access.log t;
                  default_type text/html;
                  keepalive_timeout 65s 60;
                  server {
                    server_name t;
                    location /direct/ { }
                    location /mapped/ { add_header X-Filter 1; }
                  }
                }
                """.formatted(dir);
        List<HttpModule> modules = new ArrayList<>(StandardModules.list());
        modules.addFirst(new Streamer());
        HttpRuntime rt = HttpRuntime.compile(dev.pier.config.bind.ConfigBinder.bind(
                dev.pier.config.ConfigParser.parseText(conf, file, null), dir, file).http(), ErrorLog.silent(),
                modules);
        runtimes.add(rt);
        return rt;
    }

    private static String answer(HttpRuntime rt, String request) {
        EmbeddedChannel ch = Wire.channel(rt);
        String out = Wire.roundTrip(ch, request);
        ch.runPendingTasks();
        out += Wire.drain(ch);
        ch.finishAndReleaseAll();
        return out.replaceAll("(?m)^Date: (?!" + BACKEND_DATE + ")[^\r]*\r\n", "");
    }

    /**
     * After a head written as bytes, every kind of body part (pieces with and without bytes, buffers, file regions,
     * a last piece with trailer lines) comes out as Netty's encoder frames it after the same head from a map, as it
     * is or in chunks; and the next response is Netty's encoder's again.
     */
    @Test
    void bodyPartsAreFramedAsNettyFramesThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        for (boolean chunked : new boolean[] {false, true}) {
            for (boolean trailers : new boolean[] {false, true}) {
                Supplier<List<Object>> parts = () -> {
                    List<Object> p = new ArrayList<>();
                    p.add(new DefaultHttpContent(ascii("abcdefghijklmnopqrstuvwxyz"))); // 1a bytes
                    p.add(new DefaultHttpContent(Unpooled.EMPTY_BUFFER));
                    p.add(ascii("xyz"));
                    p.add(Unpooled.EMPTY_BUFFER);
                    p.add(new DefaultFileRegion(open(file), 2, 5));
                    p.add(new DefaultFileRegion(open(file), 0, 0));
                    if (trailers) {
                        LastHttpContent last = new DefaultLastHttpContent(ascii("end"));
                        last.trailingHeaders().add("X-T", "1").add("X-U", "\u00fc");
                        p.add(last);
                    } else {
                        p.add(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                    return p;
                };
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().add(chunked ? "Transfer-Encoding" : "Content-Length", chunked ? "chunked" : "16");
                byte[] headBytes = encode(new EmbeddedChannel(new HttpResponseEncoder()), List.of(head));

                EmbeddedChannel netty = new EmbeddedChannel(new HttpResponseEncoder());
                List<Object> theirs = new ArrayList<>();
                theirs.add(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, head.headers()));
                theirs.addAll(parts.get());
                theirs.add(next());
                EmbeddedChannel pier = new EmbeddedChannel(new ResponseEncoder());
                List<Object> ours = new ArrayList<>();
                ours.add(new ResponseEncoder.Encoded(Unpooled.wrappedBuffer(headBytes),
                        chunked ? ResponseEncoder.Body.CHUNKED : ResponseEncoder.Body.RAW));
                ours.addAll(parts.get());
                ours.add(next());
                String expected = new String(encode(netty, theirs), StandardCharsets.ISO_8859_1);
                assertThat(new String(encode(pier, ours), StandardCharsets.ISO_8859_1))
                        .as("chunked %s, trailers %s", chunked, trailers).isEqualTo(expected)
                        .endsWith("\r\n\r\nnext");
            }
        }
    }

    /** Every write's promise completes once its bytes are written, a chunk's when all its parts are. */
    @Test
    void promisesCompleteWithTheirParts() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseEncoder());
        List<ChannelPromise> promises = new ArrayList<>();
        for (Object msg : List.of(new ResponseEncoder.Encoded(ascii("HEAD\r\n\r\n"), ResponseEncoder.Body.CHUNKED),
                new DefaultHttpContent(ascii("abc")), new DefaultHttpContent(Unpooled.EMPTY_BUFFER),
                new DefaultLastHttpContent(ascii("z")))) {
            promises.add(ch.newPromise());
            ch.write(msg, promises.getLast());
        }
        ch.flush();
        assertThat(promises).allMatch(p -> p.isSuccess());
        assertThat(new String(encode(ch, List.of()), StandardCharsets.ISO_8859_1))
                .isEqualTo("HEAD\r\n\r\n3\r\nabc\r\n1\r\nz\r\n0\r\n\r\n");
    }

    /**
     * A head written without a promise waits for its body: a small first piece goes out in the same buffer (one
     * write, its promise completing), a flush sends the head alone, a large piece or a file goes after it; the bytes
     * are the same either way, and nothing held is leaked when the channel closes.
     */
    @Test
    void aHeadWithoutAPromiseGoesOutWithItsSmallFirstPiece(@TempDir Path dir) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseEncoder());
        ch.write(new ResponseEncoder.Encoded(ascii("HEAD\r\n\r\n"), ResponseEncoder.Body.RAW), ch.voidPromise());
        ChannelPromise last = ch.newPromise();
        ch.write(new DefaultLastHttpContent(ascii("hello")), last);
        ch.flush();
        assertThat(last.isSuccess()).isTrue();
        assertThat(outbound(ch)).containsExactly("HEAD\r\n\r\nhello");

        ch.write(new ResponseEncoder.Encoded(ascii("H2\r\n\r\n"), ResponseEncoder.Body.RAW), ch.voidPromise());
        ch.write(ascii("xy"), ch.voidPromise());
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(outbound(ch)).as("a buffer merges as a piece does").containsExactly("H2\r\n\r\nxy", "");

        ch.write(new ResponseEncoder.Encoded(ascii("H3\r\n\r\n"), ResponseEncoder.Body.RAW), ch.voidPromise());
        ch.flush();
        assertThat(outbound(ch)).as("a flush sends the head alone").containsExactly("H3\r\n\r\n");
        String big = "b".repeat(FullHead.MERGED_BODY + 1);
        ch.writeAndFlush(new DefaultLastHttpContent(ascii(big)));
        assertThat(outbound(ch)).containsExactly(big);

        ch.write(new ResponseEncoder.Encoded(ascii("H4\r\n\r\n"), ResponseEncoder.Body.RAW), ch.voidPromise());
        ch.writeAndFlush(new DefaultLastHttpContent(ascii(big)));
        assertThat(outbound(ch)).as("a large piece goes after the head").containsExactly("H4\r\n\r\n", big);

        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        ch.write(new ResponseEncoder.Encoded(ascii("H5\r\n\r\n"), ResponseEncoder.Body.RAW), ch.voidPromise());
        ch.write(new DefaultFileRegion(open(file), 2, 5));
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(new String(encode(ch, List.of()), StandardCharsets.ISO_8859_1)).as("a file after the head")
                .isEqualTo("H5\r\n\r\n23456");

        ByteBuf held = ascii("H6\r\n\r\n");
        ch.write(new ResponseEncoder.Encoded(held, ResponseEncoder.Body.RAW), ch.voidPromise());
        assertThat(ch.outboundMessages()).isEmpty();
        ch.close();
        ch.finishAndReleaseAll();
        assertThat(held.refCnt()).as("released with the channel").isZero();
    }

    /** Each outbound buffer's text, in order; every buffer released. */
    private static List<String> outbound(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out;
    }

    /** A second head inside a streamed body is a bug in the caller: the write fails, as with Netty's encoder. */
    /** Own lines given in any case are written in Pier's spelling, the first of two taken (nginx ignores the rest). */
    /**
     * A head that keeps its lines ({@link HeadLines}) is written from them, byte for byte as from a header map, both as
     * bytes and through the map a header filter needs, and without its own map being built (not for the log's
     * {@code $sent_http_*} either); once its map was built and changed, the map is what is sent.
     */
    @Test
    void keptLinesAreSentAsTheMapWouldBeUntilTheMapChanges(@TempDir Path dir) throws Exception {
        HttpRuntime rt = runtime(dir);
        for (int n = 0; n < ANSWERS.size(); n++) {
            for (String loc : List.of("/direct/", "/mapped/")) {
                String request = "GET " + loc + n + "%s HTTP/1.1\r\nHost: t\r\n\r\n";
                String fromMap = answer(rt, request.formatted(""));
                assertThat(answer(rt, request.formatted("?lines"))).as("answer %d at %s", n, loc)
                        .isEqualTo(fromMap);
                assertThat(lastKept.lines()).as("the head's own map is not built").isNotNull();
                // the last given line: before the filter's, where the filter adds one
                String changed = "X-Changed: after the parse\r\n";
                String filter = "X-Filter: 1\r\n";
                assertThat(answer(rt, request.formatted("?changed"))).as("answer %d at %s, changed", n, loc)
                        .isEqualTo(fromMap.contains(filter) ? fromMap.replace(filter, changed + filter)
                                : fromMap.replaceFirst("\r\n\r\n", "\r\n" + changed + "\r\n"));
            }
        }
    }

    /**
     * Lines that keep a {@link StreamHeadMemo} are sent as the same head from a map is, whatever the request before
     * them was (keep-alive, close, HTTP/1.0, HEAD; the other location, the other rewrite, another answer): a head
     * the memo gives is the one the conditions call for, and the log says what was sent. Repeated requests are
     * answered from the memo.
     */
    @Test
    void aKeptHeadIsSentAgainOnlyForTheSameLinesUnderTheSameConditions(@TempDir Path dir) throws Exception {
        HttpRuntime rt = runtime(dir);
        long hits = MEMO.hits();
        List<String> kinds = List.of("GET %s HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "GET %s HTTP/1.0\r\n\r\n",
                "HEAD %s HTTP/1.1\r\nHost: t\r\n\r\n");
        int pairs = 0;
        for (int n = 0; n < ANSWERS.size(); n++) {
            for (String b : List.of("", "-b", "")) {
                for (int k : new int[] {0, 0, 0, 1, 0, 2, 0, 3, 0, 1, 1, 2, 2, 0}) {
                    for (String loc : List.of("/direct/", "/mapped/")) {
                        String request = kinds.get(k).formatted(loc + n + "?%s");
                        String fromMap = answer(rt, request.formatted("plain" + b));
                        assertThat(answer(rt, request.formatted("memo" + b)))
                                .as("answer %d to %s", n, request.formatted(b)).isEqualTo(fromMap);
                        pairs++;
                    }
                }
            }
        }
        assertThat(MEMO.hits() - hits).as("heads from the memo").isPositive();
        rt.accessLogs().flushAndClose();
        List<String> log = Files.readAllLines(dir.resolve("access.log"));
        assertThat(log).hasSize(pairs * 2);
        for (int i = 0; i < log.size(); i += 2) {
            assertThat(log.get(i + 1)).as("log line %d", i + 1).isEqualTo(log.get(i));
        }
    }

    @Test
    void givenOwnLinesInAnyCaseTheFirstOfTwo(@TempDir Path dir) throws Exception {
        String direct = answer(runtime(dir), "GET /direct/5 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(direct).contains("\r\nContent-Type: text/first\r\nContent-Length: 2\r\nLocation: http://front/x\r\n")
                .doesNotContain("text/second").doesNotContainIgnoringCase("content-type: text/s")
                .doesNotContain("LOCATION").doesNotContain("content-length");
    }

    /** Pier's own lines are told apart by name in any case, and no other name is taken for one. */
    @Test
    void ownLinesAreKnownByNameInAnyCase() {
        List<String> own = List.of("Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Location",
                "Transfer-Encoding", "Connection");
        for (int i = 0; i < own.size(); i++) {
            String n = own.get(i);
            assertThat(ResponseWriter.own(n)).as(n).isEqualTo(i);
            assertThat(ResponseWriter.own(n.toUpperCase(java.util.Locale.ROOT))).as(n).isEqualTo(i);
            assertThat(ResponseWriter.own(AsciiString.of(n.toLowerCase(java.util.Locale.ROOT)))).as(n).isEqualTo(i);
        }
        for (String other : List.of("", "Dates", "Servers", "Content-Typo", "Content-Range", "Keep-Alive",
                "Set-Cookie", "Locations", "X-Server")) {
            assertThat(ResponseWriter.own(other)).as(other).isEqualTo(-1);
        }
    }

    @Test
    void aHeadInsideABodyFails() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseEncoder());
        ch.writeOutbound(new ResponseEncoder.Encoded(ascii("HEAD\r\n\r\n"), ResponseEncoder.Body.RAW));
        DefaultFullHttpResponse second = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        assertThatThrownBy(() -> ch.writeOutbound(second)).hasMessageContaining("inside a streamed body");
        assertThat(second.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A whole response after the streamed one: the encoder is between responses again. */
    private static Object next() {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                ascii("next"));
        r.headers().add("Content-Length", "4");
        return r;
    }

    /** Writes {@code messages}, then returns every byte the channel let out (file regions read whole). */
    private static byte[] encode(EmbeddedChannel ch, List<Object> messages) {
        for (Object m : messages) {
            ch.write(m);
        }
        ch.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof ByteBuf b) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                out.writeBytes(bytes);
                b.release();
            } else if (o instanceof DefaultFileRegion r) {
                try (var sink = java.nio.channels.Channels.newChannel(out)) {
                    while (r.transferred() < r.count()) {
                        r.transferTo(sink, r.transferred());
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                r.release();
            } else {
                throw new AssertionError("unexpected " + o);
            }
        }
        return out.toByteArray();
    }
}
