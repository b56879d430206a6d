package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.PierSocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Writes one response with nginx's header set and order ({@code Server}, {@code Date}, {@code Content-Type},
 * {@code Content-Length}, {@code Last-Modified}, {@code Connection}, {@code Location}, then {@code add_header}s),
 * decides keep-alive, and after the last byte either closes the connection or returns it to the keep-alive state.
 * A writer sends one response: it keeps what a head written as bytes was built from (for {@link #encodedHeaders})
 * and is that response's completion itself, so a response allocates neither a supplier nor a listener for them.
 */
final class ResponseWriter implements WrittenResponses.Done {
    /** Header names and values are Pier's own or sanitised, so Netty's per-header validation is skipped. */
    // nginx's spelling; names are case-insensitive (RFC 9110 5.1) but operators grep for these
    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString LAST_MODIFIED = AsciiString.cached("Last-Modified");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString LOCATION = AsciiString.cached("Location");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString KEEP_ALIVE_HEADER = AsciiString.cached("Keep-Alive");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    /**
     * The lines a streamed head writes itself, so the given ones are not copied again; the first {@link #FROM_GIVEN}
     * may take the response's value. Indexed by {@link #own}.
     */
    private static final AsciiString[] OWN = {SERVER, DATE, CONTENT_TYPE, CONTENT_LENGTH, LAST_MODIFIED, LOCATION,
            TRANSFER_ENCODING, CONNECTION};
    private static final int OWN_SERVER = 0;
    private static final int OWN_DATE = 1;
    private static final int OWN_TYPE = 2;
    private static final int OWN_LENGTH = 3;
    private static final int OWN_LAST_MODIFIED = 4;
    private static final int OWN_LOCATION = 5;
    private static final int FROM_GIVEN = 6;
    private static final int OWN_TRANSFER_ENCODING = 6;
    private static final int OWN_CONNECTION = 7;

    private final ChannelHandlerContext ctx;
    private final HttpConnection conn;
    private final Exchange ex;
    private final int requestNumber;
    /** A streamed response's head was sent; its keep-alive decision. */
    private boolean streaming;
    private boolean streamKeepAlive;
    /** The body is read by a taken-over exchange, so {@code Expect: 100-continue} leaves nothing unread. */
    private boolean bodyConsumed;
    /** What a streamed head written as bytes ({@link #sendHead}) was built from; null for a whole response. */
    private StreamHead.Lines streamOwn;
    private CharSequence[] streamGiven;
    private HeadRewrite streamRewrite;
    /** What the head {@link #sendEncoded} wrote was built from. */
    private CharSequence encodedType;
    private long encodedLength;
    private long encodedLastModified;
    private CharSequence encodedDate;
    private boolean encodedKeepAlive;
    /** What {@link #written} does once the response is out: the keep-alive timeout, or -1 to close. */
    private long completionTimeout;

    ResponseWriter(ChannelHandlerContext ctx, HttpConnection conn, Exchange ex, int requestNumber) {
        this.ctx = ctx;
        this.conn = conn;
        this.ex = ex;
        this.requestNumber = requestNumber;
    }

    void sendFull(HttpResponseStatus status, CharSequence contentType, ByteBuf body, String location,
                  HttpError error) {
        int length = body.readableBytes();
        discardBody(error != null || location != null);
        boolean keepAlive = keepAlive(error);
        status = Statuses.of(ex.effectiveStatus(status.code()));
        if (ex.isHead() || status.code() == 204 || status.code() == 304) {
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
        int code = status.code();
        if (location == null && encodable(code)) {
            sendEncoded(code, contentType, length, -1, body, keepAlive);
            return;
        }
        // a whole response has no trailer: no second header map for one
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, direct(body), HeaderMaps.newMap(),
                EmptyHttpHeaders.INSTANCE);
        HttpHeaders h = res.headers();
        boolean notModified = code == 304; // RFC 9110 15.4.5: no body, so no length or type of one
        common(h, notModified ? null : contentType, notModified ? -1 : length, -1, DateCache.now());
        connection(h, keepAlive);
        if (location != null) {
            h.set(LOCATION, HeaderValues.sanitize(location));
        }
        extra(h);
        ex.responseStarted(status.code(), h);
        keepAlive = filters(status.code(), h, keepAlive);
        ex.bodySent(res.content().readableBytes());
        finish(res, keepAlive);
    }

    /**
     * {@code body} in a direct buffer of the connection's allocator ({@link Exchange#body} wraps a heap array): Netty's
     * encoder would copy a heap buffer through a {@code ByteBuffer} wrapper and two slices, and the socket needs one
     * direct buffer anyway.
     */
    private ByteBuf direct(ByteBuf body) {
        if (body.isDirect() || !body.isReadable()) {
            return body;
        }
        ByteBuf copy = ctx.alloc().directBuffer(body.readableBytes()).writeBytes(body);
        body.release();
        return copy;
    }

    /** No header filter may change the head, and the status has a body of the length the head gives. */
    private boolean encodable(int code) {
        return code >= 200 && code < 1000 && code != 204 && code != 205 && code != 304
                && ex.location().headerFilters().length == 0;
    }

    /**
     * A whole response whose head nothing may change ({@link #encodable}, and no {@code Location}): the bytes are
     * written by {@link FullHead}, not by a header map and Netty's encoder. The map the log and
     * {@code $sent_http_*} read is built only if one of them asks, from the same values, so it says what was sent.
     */
    private void sendEncoded(int code, CharSequence contentType, long length, long lastModified, ByteBuf body,
                             boolean keepAlive) {
        int bodyBytes = body.readableBytes();
        ByteBuf bytes = encodeHead(code, contentType, length, lastModified, keepAlive, body);
        ex.bodySent(bodyBytes);
        if (bodyBytes <= FullHead.MERGED_BODY) {
            finish(new ResponseEncoder.Encoded(bytes), keepAlive);
            return;
        }
        ctx.write(new ResponseEncoder.Encoded(bytes), conn.written.promise());
        finish(new ResponseEncoder.Encoded(direct(body)), keepAlive);
    }

    /**
     * The head's bytes for {@link #sendEncoded} and a file's head ({@code body} merged behind it when it is at most
     * {@link FullHead#MERGED_BODY} bytes, else left to the caller), with what the lazily built header map needs kept.
     */
    private ByteBuf encodeHead(int code, CharSequence contentType, long length, long lastModified,
                               boolean keepAlive, ByteBuf body) {
        CharSequence server = ex.location().serverHeader();
        CharSequence date = DateCache.now();
        AsciiString contentLength = ContentLengths.of(length);
        CharSequence modified = lastModified >= 0 ? DateCache.format(lastModified) : null;
        AsciiString keepAliveHeader = keepAlive ? ex.location().keepaliveHeader() : null;
        HttpHeaders extra = ex.extraHeaders();
        int bodyBytes = body.readableBytes();
        ByteBuf bytes = FullHead.encode(ctx.alloc(), code, server, date, contentType, contentLength, modified,
                keepAlive, keepAliveHeader, extra, body);
        int headBytes = bodyBytes <= FullHead.MERGED_BODY ? bytes.readableBytes() - bodyBytes : bytes.readableBytes();
        encodedType = contentType;
        encodedLength = length;
        encodedLastModified = lastModified;
        encodedDate = date;
        encodedKeepAlive = keepAlive;
        ex.responseStarted(code, headBytes);
        return bytes;
    }

    /**
     * A file body: {@code owner} holds one reference for this response (released here: each region sent retains its
     * own, released when the region is), so a descriptor shared with {@code open_file_cache} is closed only when no
     * response uses it.
     */
    void sendFile(ReferenceCounted owner, FileChannel file, long offset, long length, int status, long lastModified,
                  CharSequence contentType) {
        sendFileParts(owner, file, length > 0 ? java.util.List.of(new FilePart.Slice(offset, length))
                : java.util.List.of(), status, lastModified, contentType);
    }

    /** Like {@link #sendFile}, the body being {@code parts}. */
    void sendFileParts(ReferenceCounted owner, FileChannel file, java.util.List<FilePart> parts, int status,
                       long lastModified, CharSequence contentType) {
        discardBody(false);
        boolean keepAlive = keepAlive(null);
        int code = ex.effectiveStatus(status);
        long length = 0;
        for (FilePart part : parts) {
            length += part.length();
        }
        ByteBuf inline = ex.isHead() || ex.limitRate() > 0 ? null // a paced body goes through the file buffers
                : InlineFileBody.read(ctx.alloc(), owner, file, parts, length);
        if (inline != null && encodable(code)) { // a small file read whole: head and body as bytes
            owner.release();
            sendEncoded(code, contentType, length, lastModified, inline, keepAlive);
            return;
        }
        if (encodable(code)) { // a file not read whole, or a HEAD: the head as bytes, the regions behind it
            ByteBuf head = encodeHead(code, contentType, length, lastModified, keepAlive, Unpooled.EMPTY_BUFFER);
            if (ex.isHead()) {
                owner.release();
                finish(new ResponseEncoder.Encoded(head), keepAlive);
                return;
            }
            ctx.write(new ResponseEncoder.Encoded(head, ResponseEncoder.Body.RAW), ctx.voidPromise());
            parts(owner, file, parts, length);
            finish(LastHttpContent.EMPTY_LAST_CONTENT, keepAlive);
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, Statuses.of(code), HeaderMaps.UNVALIDATED);
        HttpHeaders h = res.headers();
        common(h, contentType, length, lastModified, DateCache.now());
        connection(h, keepAlive);
        extra(h);
        ex.responseStarted(code, h);
        keepAlive = filters(code, h, keepAlive);
        ctx.write(res, ctx.voidPromise());
        Object last = LastHttpContent.EMPTY_LAST_CONTENT;
        if (ex.isHead()) {
            owner.release();
        } else if (inline != null) {
            // read whole: the body is the last write, so a body filter (gzip) sees it whole and ends with it, as
            // nginx's filters see a static file's one buffer with last_buf set
            owner.release();
            ex.bodySent(length);
            last = new DefaultLastHttpContent(inline);
        } else {
            parts(owner, file, parts, length);
        }
        finish(last, keepAlive);
    }

    /** A file response's body after its head, part by part; {@code owner}'s reference ends. */
    private void parts(ReferenceCounted owner, FileChannel file, java.util.List<FilePart> parts, long length) {
        // without a channel the owner is a RawFile: its regions go by sendfile from its descriptor
        int socket = ctx.channel() instanceof UnixChannel u ? u.fd().intValue() : -1;
        for (FilePart part : parts) {
            switch (part) {
                case FilePart.Bytes b -> ctx.write(Unpooled.wrappedBuffer(b.bytes()), ctx.voidPromise());
                case FilePart.Slice sl -> ctx.write(file != null
                        ? new OwnedFileRegion(owner, file, sl.offset(), sl.length())
                        : new SendfileRegion((RawFile) owner, socket, sl.offset(), sl.length()),
                        ctx.voidPromise());
            }
        }
        ex.bodySent(length);
        owner.release();
    }

    /** A file region that holds a reference on the descriptor's owner instead of closing the file itself. */
    private static final class OwnedFileRegion extends DefaultFileRegion {
        private final ReferenceCounted owner;

        OwnedFileRegion(ReferenceCounted owner, FileChannel file, long position, long count) {
            super(file, position, count);
            this.owner = owner.retain();
        }

        @Override
        protected void deallocate() {
            owner.release();
        }
    }

    /** The owner of a descriptor no one else shares: closes it with the last reference. */
    static final class ClosingOwner extends AbstractReferenceCounted {
        private final FileChannel file;

        ClosingOwner(FileChannel file) {
            this.file = file;
        }

        @Override
        protected void deallocate() {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only descriptor: nothing was lost
            }
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            return this;
        }
    }

    void bodyConsumed() {
        bodyConsumed = true;
    }

    /**
     * A handler answers without reading the body: nginx's {@code ngx_http_discard_request_body}, which first runs
     * {@code ngx_http_test_expect}, so a request with {@code Expect: 100-continue} (HTTP/1.1) gets {@code 100 Continue}
     * before the final response and then sends its body, which the decoder reads and drops; the connection stays
     * alive. A {@code special} response (an error page, a redirect: nginx's {@code ngx_http_special_response_handler}
     * and the 413 of {@code client_max_body_size}) sets {@code r->expect_tested} first, so no 100 goes out; the
     * client may then never send the body, and Pier closes the connection after the response (lingering) rather
     * than guess where the next request starts.
     */
    private void discardBody(boolean special) {
        if (bodyConsumed || special || !ScannedRequest.expectsContinue(ex.request())) {
            return;
        }
        bodyConsumed = true;
        ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                io.netty.buffer.Unpooled.EMPTY_BUFFER), ctx.voidPromise());
    }

    boolean streaming() {
        return streaming;
    }

    /**
     * A streamed response head in nginx's header order: Server, Date, Content-Type, Content-Length, Last-Modified,
     * Location, Transfer-Encoding, Connection, then the rest of {@code res}'s headers as given, each through
     * {@code rewrite} (a line it drops is not sent). A {@code Server} or {@code Date} of {@code res} that passes the
     * rewrite (the proxy's {@code proxy_pass_header}) is sent instead of Pier's own, as in nginx. A head written
     * as bytes from lines that keep a {@link StreamHeadMemo} is the memo's when nothing it came from changed.
     */
    void sendHead(HttpResponse res, HeadRewrite rewrite) {
        streaming = true;
        int code = ex.effectiveStatus(res.status().code());
        CharSequence[] given = HeadLines.of(res);
        StreamHeadMemo memo = res instanceof HeadLines l ? l.memo() : null;
        boolean known = memo != null && memo.knows(given, rewrite);
        CharSequence[] first = known ? null : firstOwn(given);
        boolean length = known ? memo.length() : given(first, OWN_LENGTH, rewrite) != null;
        boolean bodiless = ex.isHead() || code == 204 || code == 304 || code < 200;
        boolean chunked = !bodiless && !length && ex.request().protocolVersion().equals(HttpVersion.HTTP_1_1);
        discardBody(false);
        boolean keepAlive = keepAlive(null);
        if (keepAlive && !bodiless && !length && !chunked) {
            keepAlive = false; // HTTP/1.0 client, unknown length: the close delimits the body
            conn.markClosing();
        }
        HttpResponseStatus status = code == res.status().code() ? res.status() : Statuses.of(code);
        AsciiString server = ex.location().serverHeader();
        AsciiString date = DateCache.now();
        AsciiString keepAliveHeader = keepAlive ? ex.location().keepaliveHeader() : null;
        if (!bodiless && encodable(code)) { // nothing may change the head: written as bytes
            StreamHead.Lines own = known ? memo.same(status, server, date, chunked, keepAlive, keepAliveHeader) : null;
            ByteBuf head;
            if (own != null) {
                head = memo.copy(ctx.alloc());
            } else {
                first = first != null ? first : firstOwn(given);
                own = ownLines(first, rewrite, server, date, chunked, keepAlive, keepAliveHeader);
                HeadScratch written = StreamHead.write(status, own, given, rewrite);
                if (memo != null) {
                    memo.keep(given, rewrite, status, server, date, own, written);
                }
                head = written.copy(ctx.alloc(), 0);
            }
            streamOwn = own;
            streamGiven = given;
            streamRewrite = rewrite;
            ex.responseStarted(code, head.readableBytes());
            streamKeepAlive = keepAlive;
            ctx.write(new ResponseEncoder.Encoded(head,
                    chunked ? ResponseEncoder.Body.CHUNKED : ResponseEncoder.Body.RAW), ctx.voidPromise());
            return;
        }
        StreamHead.Lines own = ownLines(first != null ? first : firstOwn(given), rewrite, server, date, chunked,
                keepAlive, keepAliveHeader);
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, HeaderMaps.UNVALIDATED);
        HttpHeaders h = streamHeaders(out.headers(), own, given, rewrite);
        ex.responseStarted(code, h);
        streamKeepAlive = filters(code, h, keepAlive);
        ctx.write(out, ctx.voidPromise());
    }

    /**
     * A streamed head's own lines: each given one ({@code first}) the rewrite passes, Pier's {@code server} and
     * {@code date} where the rewrite passes none.
     */
    private static StreamHead.Lines ownLines(CharSequence[] first, HeadRewrite rewrite, AsciiString server,
                                             AsciiString date, boolean chunked, boolean keepAlive,
                                             AsciiString keepAliveHeader) {
        return new StreamHead.Lines(passed(first, OWN_SERVER, rewrite, server), passed(first, OWN_DATE, rewrite, date),
                given(first, OWN_TYPE, rewrite), given(first, OWN_LENGTH, rewrite),
                given(first, OWN_LAST_MODIFIED, rewrite), given(first, OWN_LOCATION, rewrite), chunked, keepAlive,
                keepAliveHeader);
    }

    /** A streamed head's lines in {@code h}: the map {@link StreamHead} writes as bytes. */
    private static HttpHeaders streamHeaders(HttpHeaders h, StreamHead.Lines own, CharSequence[] given,
                                             HeadRewrite rewrite) {
        h.add(SERVER, own.server());
        h.add(DATE, own.date());
        addIfGiven(h, CONTENT_TYPE, own.type());
        addIfGiven(h, CONTENT_LENGTH, own.length());
        addIfGiven(h, LAST_MODIFIED, own.lastModified());
        addIfGiven(h, LOCATION, own.location());
        if (own.chunked()) {
            h.add(TRANSFER_ENCODING, CHUNKED);
        }
        h.add(CONNECTION, own.keepAlive() ? KEEP_ALIVE : CLOSE);
        addIfGiven(h, KEEP_ALIVE_HEADER, own.keepAliveHeader());
        for (int i = 0; i < given.length; i += 2) {
            if (own(given[i]) < 0) {
                CharSequence v = rewrite.apply(given[i], given[i + 1]);
                if (v != null) {
                    h.add(given[i], v);
                }
            }
        }
        return h;
    }

    /**
     * Which of Pier's own lines ({@link #OWN}) {@code name} is, case-insensitively, or -1. Their lengths all differ,
     * so a switch and one comparison tell, where a header-map lookup would hash the name.
     */
    static int own(CharSequence name) {
        int i = switch (name.length()) {
            case 6 -> OWN_SERVER;
            case 4 -> OWN_DATE;
            case 12 -> OWN_TYPE;
            case 14 -> OWN_LENGTH;
            case 13 -> OWN_LAST_MODIFIED;
            case 8 -> OWN_LOCATION;
            case 17 -> OWN_TRANSFER_ENCODING;
            case 10 -> OWN_CONNECTION;
            default -> -1;
        };
        return i >= 0 && AsciiString.contentEqualsIgnoreCase(name, OWN[i]) ? i : -1;
    }

    /**
     * The first value {@code given} (name, value pairs) has for each own line that may come from it, in one pass over
     * its lines.
     */
    private static CharSequence[] firstOwn(CharSequence[] given) {
        CharSequence[] first = new CharSequence[FROM_GIVEN];
        for (int j = 0; j < given.length; j += 2) {
            int i = own(given[j]);
            if (i >= 0 && i < FROM_GIVEN && first[i] == null) {
                first[i] = given[j + 1];
            }
        }
        return first;
    }

    /** The given own line {@code i} as the rewrite passes it, or null when there is none or the rewrite drops it. */
    private static CharSequence given(CharSequence[] first, int i, HeadRewrite rewrite) {
        CharSequence v = first[i];
        return v == null ? null : rewrite.apply(OWN[i], v);
    }

    private static void addIfGiven(HttpHeaders h, AsciiString name, CharSequence value) {
        if (value != null) {
            h.add(name, value);
        }
    }

    /** The given own line {@code i} if there is one and the rewrite lets it through, else Pier's {@code own}. */
    private static CharSequence passed(CharSequence[] first, int i, HeadRewrite rewrite, CharSequence own) {
        CharSequence kept = given(first, i, rewrite);
        return kept != null ? kept : own;
    }

    /**
     * Ends a streamed body and the request: keep-alive bookkeeping or close once the last byte is out, as a whole
     * response's end ({@link #finish}).
     */
    void finishStream(LastHttpContent last) {
        finish(last, streamKeepAlive);
    }

    /**
     * The 101 head of a protocol switch, no keep-alive afterwards. {@code res} comes with its lines already chosen
     * (the proxy's rules applied), so a {@code Server} or {@code Date} in it is sent instead of Pier's own, as
     * {@link #sendHead} does.
     */
    ChannelFuture sendUpgrade(HttpResponse res) {
        streaming = true;
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), HeaderMaps.UNVALIDATED);
        HttpHeaders h = out.headers();
        CharSequence[] given = HeadLines.of(res);
        CharSequence[] first = firstOwn(given);
        h.add(SERVER, passed(first, OWN_SERVER, HeadRewrite.NONE, ex.location().serverHeader()));
        h.add(DATE, passed(first, OWN_DATE, HeadRewrite.NONE, DateCache.now()));
        for (int i = 0; i < given.length; i += 2) {
            if (!SERVER.contentEqualsIgnoreCase(given[i]) && !DATE.contentEqualsIgnoreCase(given[i])) {
                h.add(given[i], given[i + 1]);
            }
        }
        conn.markClosing();
        ex.responseStarted(out.status().code(), h);
        return ctx.writeAndFlush(out);
    }

    private void common(HttpHeaders h, CharSequence contentType, long length, long lastModified, CharSequence date) {
        h.add(SERVER, ex.location().serverHeader());
        h.add(DATE, date);
        if (contentType != null) {
            h.add(CONTENT_TYPE, contentType);
        }
        if (length >= 0) {
            h.add(CONTENT_LENGTH, ContentLengths.of(length));
        }
        if (lastModified >= 0) {
            h.add(LAST_MODIFIED, DateCache.format(lastModified));
        }
    }

    /** Headers a module asked for with {@link Exchange#addHeader} (ETag, Accept-Ranges, Expires …). */
    private void extra(HttpHeaders h) {
        HttpHeaders extra = ex.extraHeaders();
        if (extra != null) {
            h.add(extra);
        }
    }

    /** {@code Connection}, then nginx's {@code Keep-Alive: timeout=N} on a kept-alive response when configured. */
    private void connection(HttpHeaders h, boolean keepAlive) {
        h.add(CONNECTION, keepAlive ? KEEP_ALIVE : CLOSE);
        AsciiString ka = keepAlive ? ex.location().keepaliveHeader() : null;
        if (ka != null) {
            h.add(KEEP_ALIVE_HEADER, ka);
        }
    }

    /** Runs the header filters; one that sets {@code Connection: close} (gzip on HTTP/1.0) ends keep-alive. */
    private boolean filters(int status, HttpHeaders h, boolean keepAlive) {
        var filters = ex.location().headerFilters();
        if (filters.length == 0) {
            return keepAlive; // Connection was set by connection() alone
        }
        for (HeaderFilter f : filters) {
            f.filter(ex, status, h);
        }
        if (keepAlive && h.containsValue(CONNECTION, CLOSE, true)) {
            conn.markClosing();
            return false;
        }
        return keepAlive;
    }

    /**
     * nginx's rules: the client must want it (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with
     * {@code Connection: keep-alive}), {@code keepalive_timeout} is not 0, {@code keepalive_requests} is not reached,
     * the error allows it, the worker is not shutting down, and no {@code Expect: 100-continue} body is left unread.
     */
    private boolean keepAlive(HttpError error) {
        var conf = ex.location().conf();
        boolean on = !conn.closing()
                && ScannedRequest.keepAlive(ex.request())
                && conf.keepaliveTimeout().toMillis() > 0
                && requestNumber < conf.keepaliveRequests()
                && (error == null || error.keepAlive())
                && !conn.connections.shuttingDown()
                && (bodyConsumed || !ScannedRequest.expectsContinue(ex.request()));
        if (!on) {
            conn.markClosing();
        }
        return on;
    }

    /**
     * Writes a response's last message; once it is out, the access log line, then keep-alive bookkeeping or a
     * (lingering) close ({@link WrittenResponses#writeLast}: as a rule without a promise).
     */
    private void finish(Object last, boolean keepAlive) {
        completionTimeout = keepAlive ? ex.location().keepaliveTimeoutMillis() : -1;
        if (!keepAlive && ctx.channel() instanceof PierSocketChannel p) {
            p.corkUntilClose(); // the close follows the write: its FIN goes out with the last bytes
        }
        conn.written.writeLast(ctx, last, this);
        if (!conn.inRead()) {
            ctx.flush();
        }
    }

    /**
     * The response's last write is out ({@code success}) or could not be sent: its access log line, then the
     * keep-alive wait or, for a response that closes the connection, the lingering close.
     */
    @Override
    public void written(boolean success) {
        ex.logRequest();
        if (completionTimeout < 0) {
            LingeringClose.afterLastWrite(success, conn);
        } else if (success) {
            conn.responseDone(completionTimeout);
        }
    }

    /** The header map of the head written as bytes, for the log and {@code $sent_http_*}. */
    HttpHeaders encodedHeaders() {
        if (streamOwn != null) {
            return streamHeaders(HeaderMaps.newMap(), streamOwn, streamGiven, streamRewrite);
        }
        HttpHeaders h = HeaderMaps.newMap();
        common(h, encodedType, encodedLength, encodedLastModified, encodedDate);
        connection(h, encodedKeepAlive);
        extra(h);
        return h;
    }
}
