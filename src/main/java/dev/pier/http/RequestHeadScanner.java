package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks one request head byte by byte with nginx's rules ({@code ngx_http_parse_request_line},
 * {@code ngx_http_parse_header_line}, {@code ngx_http_process_request_headers}) and builds the request Pier serves
 * from what it checked (dropped header lines left out), so the request served is exactly the one checked and the head
 * is parsed once. Incremental: bytes arriving one at a time are each looked at once.
 *
 * <p>What it refuses (each a value, {@link RequestHeadException}): control bytes in the request line (400), a request
 * line longer than a large header buffer (414), a header line starting with whitespace (obs-fold, RFC 9112 §5.2),
 * whitespace or control bytes in a name, NUL or control bytes in a value, a bare CR (all 400), a header line
 * longer than a large buffer or a head over all of them (400 "Request Header Or Cookie Too Large"), and the
 * framing ambiguities RFC 9112 §6.3 warns of: duplicate Host, Content-Length or Transfer-Encoding, an invalid
 * Content-Length, Transfer-Encoding on HTTP/1.0, Content-Length with Transfer-Encoding (400), and any
 * Transfer-Encoding other than exactly {@code chunked} (501). A bare LF ends a line, as in nginx.
 */
final class RequestHeadScanner {
    enum Status { NEED_MORE, DONE, REJECTED }

    private enum State { REQUEST_LINE, REQUEST_LINE_CR, LINE_START, NAME, VALUE, LINE_CR, END_CR }

    private static final int CHUNK = 512;
    private static final int PREVIOUS_MAX = 256;
    private static final int PREVIOUS_SLOTS = 32;
    private static final int PREVIOUS_BUDGET = 2048;
    /** A head buffer's first size, and the header lines' offsets a connection keeps between requests (32 lines). */
    private static final int HEAD_BYTES = 1024;
    private static final int LINE_SLOTS = 4 * 32;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final LimitsConf limits;
    private State state = State.REQUEST_LINE;
    /** Offset from the head's first byte of the next byte to look at. */
    private int pos;
    private int requestLineEnd;
    private int lineStart;
    private int colon;
    private boolean invalidName;
    /**
     * Per header line: start, colon (-1 = none), end (its CR or LF), kept (1) or dropped (0). Null between requests;
     * the thread's {@link #SHARED_LINES} while {@link #linesLent}, as {@link #bytes} is lent; the connection's own copy
     * once a head waits for more bytes or has more lines than the thread's array holds.
     */
    private int[] lines;
    private boolean linesLent;
    private int lineCount;
    private int length;
    private String method;
    private String target;
    private String version;
    private RequestHeadException rejection;
    private final List<String> dropped = new ArrayList<>();
    /** The framing {@link #done} found: Content-Length's value (-1: none) and chunked Transfer-Encoding. */
    private long contentLength = -1;
    private boolean chunked;
    /** Whether the head has an {@code Expect} line ({@link ScannedRequest}'s shortcut). */
    private boolean expect;
    /** The Host line's and the only Connection line's offset in {@link #lines} (-1: none; -2: several Connection). */
    private int hostLine = -1;
    private int connectionLine = -1;
    /** The header lines {@link #done} kept (the invalid ones ignored): the size of the request's line array. */
    private int keptLines;
    /**
     * The event loop's head buffer, lent to a connection while it reads a head that arrived whole: most do, so an
     * idle connection holds no buffer (as in nginx, which frees an idle keep-alive connection's header buffer).
     */
    private static final FastThreadLocal<byte[]> SHARED = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[HEAD_BYTES];
        }
    };
    /** The event loop's line offsets, lent with {@link #SHARED}. */
    private static final FastThreadLocal<int[]> SHARED_LINES = new FastThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[LINE_SLOTS];
        }
    };
    /**
     * The head's bytes seen so far, copied out of the buffer once: {@code [0, copied)}. Null between requests; the
     * thread's {@link #SHARED} buffer while {@link #lent}; the connection's own copy once a head waits for more bytes.
     */
    private byte[] bytes;
    private boolean lent;
    private int copied;
    /**
     * The last head's header strings, name and value of each kept line in order: a keep-alive client repeats most of
     * its lines byte for byte, and a line equal to the last head's line at the same place reuses its strings. What an
     * idle connection keeps is bounded: the first {@link #PREVIOUS_SLOTS} strings, none longer than
     * {@link #PREVIOUS_MAX}, {@link #PREVIOUS_BUDGET} characters in all. Names are {@link AsciiString}s (the
     * name's bytes as sent), which keep their hash for the header map's lookups; values are strings.
     */
    private String[] previous;
    /** Names, by line: slot {@code 2 * i} of the slots above. Both arrays are made for the first head remembered. */
    private AsciiString[] previousNames;
    private int previousCount;
    /**
     * The head being built is remembered for the next: not when it says {@code Connection: close}, after which there
     * is no next head on the connection (a connection per request then makes no arrays for it).
     */
    private boolean remembering;
    /** The last request line's target, when at most {@link #PREVIOUS_MAX} long: reused when the next one repeats it. */
    private String lastTarget;
    /** Characters kept in {@link #previous} for the head being built. */
    private int retained;

    RequestHeadScanner(LimitsConf limits) {
        this.limits = limits;
    }

    /** Nothing of a head seen yet (leading empty lines may still be skipped). */
    boolean fresh() {
        return pos == 0;
    }

    /** Looks at the bytes of {@code buf} from its reader index (the head's first byte) that are new since last time. */
    Status scan(ByteBuf buf) {
        int base = buf.readerIndex();
        int end = buf.writerIndex() - base;
        long maxHead = limits.maxHeadBytes();
        long maxLine = limits.largeHeaderBufferSize();
        if (bytes == null) {
            bytes = SHARED.get();
            lent = true;
        }
        if (lines == null) {
            lines = SHARED_LINES.get();
            linesLent = true;
        }
        // the new bytes in bulk copies of a few hundred into the head's array (a head is short; a buffer may hold many
        // pipelined requests behind it): byte-by-byte reads of a direct buffer cost a bounds and liveness check each
        while (pos < end) {
            if (pos == copied) {
                int n = Math.min(end - pos, CHUNK);
                if (bytes.length < pos + n) {
                    bytes = java.util.Arrays.copyOf(bytes, Math.max(pos + n, bytes.length * 2));
                    lent = false;
                }
                buf.getBytes(base + pos, bytes, pos, n);
                copied = pos + n;
            }
            int run = plainRun(pos, maxLine, maxHead);
            if (run > pos) {
                pos = run; // bytes that only extend the line: no state changes, no limit reached
                continue;
            }
            int i = pos++;
            byte b = bytes[i];
            switch (state) {
                case REQUEST_LINE -> {
                    if (b == CR) {
                        state = State.REQUEST_LINE_CR;
                    } else if (b == LF) {
                        if (!requestLine(buf, base, i)) {
                            return Status.REJECTED;
                        }
                    } else if (b >= 0 && b < 0x20 || b == 0x7f) {
                        return reject(HttpError.BAD_REQUEST, "client sent invalid request", false);
                    } else if (i >= maxLine) {
                        return reject(HttpError.URI_TOO_LONG, "client sent too long URI", false);
                    }
                }
                case REQUEST_LINE_CR -> {
                    if (b != LF) {
                        return reject(HttpError.BAD_REQUEST, "client sent invalid request", false);
                    }
                    if (!requestLine(buf, base, i - 1)) {
                        return Status.REJECTED;
                    }
                }
                case LINE_START -> {
                    if (b == CR) {
                        state = State.END_CR;
                    } else if (b == LF) {
                        return done(buf, base, i + 1);
                    } else if (b >= 0 && b <= 0x20 || b == 0x7f || b == ':') {
                        // a line starting with whitespace is obs-fold: refused, as nginx and RFC 9112 §5.2 allow
                        return invalidHeader(buf, base, i);
                    } else {
                        lineStart = i;
                        colon = -1;
                        invalidName = false;
                        nameByte(b);
                        state = State.NAME;
                    }
                }
                case NAME -> {
                    if (b == ':') {
                        colon = i;
                        state = State.VALUE;
                    } else if (b == CR) {
                        endLine(i);
                        state = State.LINE_CR;
                    } else if (b == LF) {
                        endLine(i);
                        state = State.LINE_START;
                    } else if (b >= 0 && b <= 0x20 || b == 0x7f) {
                        return invalidHeader(buf, base, i);
                    } else {
                        nameByte(b);
                    }
                }
                case VALUE -> {
                    if (b == CR) {
                        endLine(i);
                        state = State.LINE_CR;
                    } else if (b == LF) {
                        endLine(i);
                        state = State.LINE_START;
                    } else if (b >= 0 && b < 0x20 && b != '\t' || b == 0x7f) {
                        // nginx refuses only NUL here; RFC 9110 §5.5 forbids every control byte but HTAB
                        return invalidHeader(buf, base, i);
                    }
                }
                case LINE_CR -> {
                    if (b != LF) {
                        return invalidHeader(buf, base, i);
                    }
                    state = State.LINE_START;
                }
                case END_CR -> {
                    if (b != LF) {
                        return invalidHeader(buf, base, i);
                    }
                    return done(buf, base, i + 1);
                }
            }
            if ((state == State.NAME || state == State.VALUE) && i - lineStart >= maxLine || i >= maxHead) {
                return reject(HttpError.HEADER_TOO_LARGE, "client sent too long header line: \""
                        + excerpt(buf, base, state == State.NAME || state == State.VALUE ? lineStart
                        : requestLineEnd, i) + "...\"", true);
            }
        }
        if (lent) { // the head goes on in a later read: the thread's buffer serves other connections meanwhile
            bytes = bytes.clone();
            lent = false;
        }
        if (linesLent) {
            lines = lines.clone();
            linesLent = false;
        }
        return Status.NEED_MORE;
    }

    /**
     * Where the run of bytes from {@code from} ends that the state machine would only step over: in the request line
     * or a value, bytes that are not control bytes; in a name, letters, digits and '-'. Each run stops before the
     * byte that reaches a length limit, so the per-byte path below checks every byte that changes anything.
     */
    private int plainRun(int from, long maxLine, long maxHead) {
        byte[] b = bytes;
        int i = from;
        switch (state) {
            case REQUEST_LINE -> {
                int limit = (int) Math.min(copied, Math.min(maxLine, maxHead));
                i = plainWords(b, i, limit);
                while (i < limit && plainLineByte(b[i])) {
                    i++;
                }
            }
            case VALUE -> {
                int limit = (int) Math.min(copied, Math.min(lineStart + maxLine, maxHead));
                i = plainWords(b, i, limit);
                while (i < limit && (plainLineByte(b[i]) || b[i] == '\t')) {
                    i++;
                }
            }
            case NAME -> {
                int limit = (int) Math.min(copied, Math.min(lineStart + maxLine, maxHead));
                while (i < limit && NAME_BYTE[b[i] & 0xff]) {
                    i++;
                }
            }
            default -> {
            }
        }
        return i;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /**
     * Skips eight bytes at a time while none of them can be a control byte or DEL: a word is let through only when
     * no byte in it is below 0x20 or equal to 0x7f (bit tricks that may flag a plain byte, never miss one; a flagged
     * word is left to the byte loop).
     */
    private static int plainWords(byte[] b, int i, int limit) {
        while (i + 8 <= limit) {
            long x = (long) WORDS.get(b, i);
            long del = x ^ 0x7f7f7f7f7f7f7f7fL;
            if (((((x - 0x20 * ONES) & ~x) | ((del - ONES) & ~del)) & HIGH) != 0) {
                return i;
            }
            i += 8;
        }
        return i;
    }

    /** Not a control byte (bytes over 0x7f are plain: nginx passes them in URIs and values). */
    private static boolean plainLineByte(byte b) {
        return b >= 0x20 && b != 0x7f || b < 0;
    }

    /** Header name bytes nginx's lowcase table has, '_' aside (whether it is valid is configured). */
    private static final boolean[] NAME_BYTE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            NAME_BYTE[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
        }
    }

    private void nameByte(byte b) {
        boolean ok = NAME_BYTE[b & 0xff] || b == '_' && limits.underscoresInHeaders();
        if (!ok) {
            invalidName = true; // a byte nginx's lowcase table lacks (or '_'): ignore_invalid_headers decides
        }
    }

    private boolean requestLine(ByteBuf buf, int base, int end) {
        RequestLine line = RequestLine.parse(bytes, 0, end, lastTarget);
        if (line == null) {
            reject(HttpError.BAD_REQUEST, "client sent invalid request", false);
            return false;
        }
        method = line.method();
        target = line.target();
        lastTarget = target.length() <= PREVIOUS_MAX ? target : null;
        version = line.version();
        requestLineEnd = pos;
        lineStart = pos;
        state = State.LINE_START;
        return true;
    }

    private void endLine(int end) {
        boolean keep = !invalidName || !limits.ignoreInvalidHeaders();
        if (lineCount * 4 + 4 > lines.length) {
            lines = java.util.Arrays.copyOf(lines, lines.length * 2);
            linesLent = false;
        }
        int k = lineCount++ * 4;
        lines[k] = lineStart;
        lines[k + 1] = colon;
        lines[k + 2] = end;
        lines[k + 3] = keep ? 1 : 0;
    }

    private Status invalidHeader(ByteBuf buf, int base, int at) {
        int from = state == State.LINE_START ? at : lineStart;
        return reject(HttpError.BAD_REQUEST, "client sent invalid header line: \""
                + excerpt(buf, base, from, at) + "\"", true);
    }

    private Status reject(HttpError error, String message, boolean inHeaders) {
        rejection = new RequestHeadException(error, message, inHeaders);
        return Status.REJECTED;
    }

    private static String excerpt(ByteBuf buf, int base, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to && s.length() < 64; i++) {
            int c = buf.getByte(base + i) & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                s.append(String.format("\\x%02X", c));
            } else {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    /** The whole head is in: the framing checks of ngx_http_process_request_headers/_header. */
    private Status done(ByteBuf buf, int base, int headLength) {
        length = headLength;
        String contentLength = null;
        String transferEncoding = null;
        for (int l = 0; l < lineCount; l++) {
            int k = l * 4;
            if (lines[k + 3] == 0) {
                dropped.add("client sent invalid header line: \"" + excerpt(buf, base, lines[k], lines[k + 2])
                        + "\"");
                continue;
            }
            keptLines++;
            switch (framingHeader(k)) {
                case HOST -> {
                    if (hostLine >= 0) { // its value is made only for the duplicate's message
                        return reject(HttpError.BAD_REQUEST, "client sent duplicate host header: \"Host: " + value(k)
                                + "\", previous value: \"Host: " + value(hostLine) + "\"", true);
                    }
                    hostLine = k;
                }
                case CONTENT_LENGTH -> {
                    String value = value(k);
                    if (contentLength != null) {
                        return duplicate("Content-Length", value, contentLength);
                    }
                    contentLength = value;
                }
                case TRANSFER_ENCODING -> {
                    String value = value(k);
                    if (transferEncoding != null) {
                        return duplicate("Transfer-Encoding", value, transferEncoding);
                    }
                    transferEncoding = value;
                }
                case EXPECT -> expect = true;
                case CONNECTION -> connectionLine = connectionLine == -1 ? k : -2;
                default -> {
                }
            }
        }
        if (contentLength != null) {
            this.contentLength = dev.pier.config.bind.Values.number(contentLength);
            if (this.contentLength < 0) {
                return reject(HttpError.BAD_REQUEST, "client sent invalid \"Content-Length\" header", true);
            }
        }
        if (transferEncoding != null) {
            if (olderThanHttp11(version)) {
                return reject(HttpError.BAD_REQUEST,
                        "client sent HTTP/1.0 request with \"Transfer-Encoding\" header", true);
            }
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                return reject(HttpError.forStatus(501), "client sent unknown \"Transfer-Encoding\": \""
                        + transferEncoding + "\"", true);
            }
            if (contentLength != null) {
                return reject(HttpError.BAD_REQUEST, "client sent \"Content-Length\" and \"Transfer-Encoding\" "
                        + "headers at the same time", true);
            }
            chunked = true;
        }
        return Status.DONE;
    }

    private static boolean olderThanHttp11(String version) {
        int dot = version.indexOf('.');
        int major = Integer.parseInt(version.substring(5, dot));
        int minor = Integer.parseInt(version.substring(dot + 1));
        return major < 1 || major == 1 && minor < 1;
    }

    private Status duplicate(String name, String value, String previous) {
        return reject(HttpError.BAD_REQUEST, "client sent duplicate header line: \"" + name + ": " + value
                + "\", previous value: \"" + name + ": " + previous + "\"", true);
    }

    private static final int OTHER = 0;
    private static final int HOST = 1;
    private static final int CONTENT_LENGTH = 2;
    private static final int TRANSFER_ENCODING = 3;
    private static final int EXPECT = 4;
    private static final int CONNECTION = 5;
    private static final byte[][] FRAMING = {null, bytes("host"), bytes("content-length"), bytes("transfer-encoding"),
            bytes("expect"), bytes("connection")};

    private static final byte[] CLOSE = bytes("close");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Which of the headers the framing checks look at (or whose mere presence {@link ScannedRequest} records) line
     * {@code k} is, compared without case and copies.
     */
    private int framingHeader(int k) {
        int start = lines[k];
        int len = (lines[k + 1] >= 0 ? lines[k + 1] : lines[k + 2]) - start;
        for (int h = HOST; h <= CONNECTION; h++) {
            if (HeadText.lowerIs(bytes, start, start + len, FRAMING[h])) {
                return h;
            }
        }
        return OTHER;
    }

    /** The value of line {@code k} without the whitespace around it. */
    private String value(int k) {
        int from = valueFrom(k);
        return new String(bytes, from, valueTo(k, from) - from, StandardCharsets.ISO_8859_1);
    }

    /** Where line {@code k}'s value begins, after the whitespace before it (the line's end when it has no colon). */
    private int valueFrom(int k) {
        int end = lines[k + 2];
        int from = lines[k + 1] >= 0 ? lines[k + 1] + 1 : end;
        while (from < end && isSpace(bytes[from])) {
            from++;
        }
        return from;
    }

    /** Where line {@code k}'s value, begun at {@code from}, ends without the whitespace after it. */
    private int valueTo(int k, int from) {
        int to = lines[k + 2];
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The head's length in the input, once {@link Status#DONE}. */
    int length() {
        return length;
    }

    RequestHeadException rejection() {
        return rejection;
    }

    /** Header lines dropped under {@code ignore_invalid_headers}, as nginx's info messages. */
    List<String> dropped() {
        return dropped;
    }

    String method() {
        return method;
    }

    String target() {
        return target;
    }

    String version() {
        return version;
    }

    /**
     * The checked head as the request Pier serves, built from the scanned lines (no second parse): the request line's
     * three parts and the kept header lines in order, names as sent and values without surrounding whitespace.
     */
    HttpRequest request() {
        byte[] b = bytes;
        CharSequence[] pairs = new CharSequence[keptLines * 2];
        int kept = 0;
        retained = 0;
        remembering = !saysClose();
        String host = null;
        String connection = null;
        for (int l = 0; l < lineCount; l++) {
            int k = l * 4;
            if (lines[k + 3] == 0) {
                continue;
            }
            int start = lines[k];
            int colon = lines[k + 1];
            int end = lines[k + 2];
            AsciiString name = name(kept++, b, start, (colon >= 0 ? colon : end) - start);
            int from = valueFrom(k);
            int to = valueTo(k, from);
            String value = text(kept++, b, from, to - from);
            if (k == hostLine) {
                host = value;
            } else if (k == connectionLine) {
                connection = value;
            }
            pairs[kept - 2] = name;
            pairs[kept - 1] = value;
        }
        previousCount = remembering ? Math.min(kept, PREVIOUS_SLOTS) : 0;
        return new ScannedRequest(HttpVersion.valueOf(version), HttpMethod.valueOf(method), target, pairs,
                contentLength, chunked, expect, host, connectionLine == -2, connection);
    }

    /** The head's one Connection line says {@code close} (in any case, with whitespace around it). */
    private boolean saysClose() {
        if (connectionLine < 0) {
            return false;
        }
        int from = valueFrom(connectionLine);
        return HeadText.lowerIs(bytes, from, valueTo(connectionLine, from), CLOSE);
    }

    /** {@code b[from, from + len)} as a string: the last head's string at {@code slot} when it has these bytes. */
    private String text(int slot, byte[] b, int from, int len) {
        if (slot < previousCount) {
            String p = previous[slot];
            if (HeadText.same(p, b, from, len)) {
                retained += len;
                return p;
            }
        }
        String s = new String(b, from, len, StandardCharsets.ISO_8859_1);
        if (slot < PREVIOUS_SLOTS && remembering) {
            if (previous == null) {
                previous = new String[PREVIOUS_SLOTS];
                previousNames = new AsciiString[PREVIOUS_SLOTS / 2];
            }
            boolean keep = len <= PREVIOUS_MAX && retained + len <= PREVIOUS_BUDGET;
            previous[slot] = keep ? s : "";
            retained += keep ? len : 0;
        }
        return s;
    }

    /** As {@link #text}, for a name. */
    private AsciiString name(int slot, byte[] b, int from, int len) {
        if (slot < previousCount) {
            AsciiString p = previousNames[slot >> 1];
            if (HeadText.same(p, b, from, len)) {
                retained += len;
                return p;
            }
        }
        AsciiString s = new AsciiString(b, from, len, true);
        if (slot < PREVIOUS_SLOTS && remembering) {
            if (previous == null) {
                previous = new String[PREVIOUS_SLOTS];
                previousNames = new AsciiString[PREVIOUS_SLOTS / 2];
            }
            boolean keep = len <= PREVIOUS_MAX && retained + len <= PREVIOUS_BUDGET;
            previousNames[slot >> 1] = keep ? s : null;
            retained += keep ? len : 0;
        }
        return s;
    }

    /** The head announces a body: a Content-Length above zero or chunked framing. */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /**
     * A head carrying only this request's framing, for Netty's decoder to take up the body from: the checked line
     * and the one header that frames what follows ({@code Transfer-Encoding: chunked} or {@code Content-Length}).
     */
    ByteBuf framing(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        out.writeCharSequence("POST / HTTP/1.1\r\n", StandardCharsets.ISO_8859_1);
        out.writeCharSequence(chunked ? "Transfer-Encoding: chunked\r\n\r\n"
                : "Content-Length: " + contentLength + "\r\n\r\n", StandardCharsets.ISO_8859_1);
        return out;
    }

    /** Ready for the next request's head. */
    void reset() {
        state = State.REQUEST_LINE;
        pos = 0;
        lineCount = 0;
        length = 0;
        requestLineEnd = 0;
        lineStart = 0;
        method = null;
        target = null;
        version = null;
        rejection = null;
        copied = 0;
        contentLength = -1;
        chunked = false;
        expect = false;
        hostLine = -1;
        connectionLine = -1;
        keptLines = 0;
        dropped.clear();
        // like nginx's header buffers, neither the thread's buffer nor what a large head grew stays with the connection
        bytes = null;
        lent = false;
        lines = null;
        linesLent = false;
    }

    /** The size of the head buffer the connection holds of its own (for tests): 0 when none. */
    int capacity() {
        return bytes == null || lent ? 0 : bytes.length;
    }
}
