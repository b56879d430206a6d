package dev.pier.http.proxy;

import dev.pier.http.HeadText;
import dev.pier.http.StreamHeadMemo;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The common shape of a backend's response head, read in one pass: {@code HTTP/1.1} or {@code HTTP/1.0}, a
 * three-digit final status (200 to 999), CRLF line ends, token names, values of visible bytes, spaces and tabs,
 * framed by at most one plain {@code Content-Length} or by {@code Transfer-Encoding: chunked} alone. It builds the
 * same response Netty's decoder would (version, status with its reason, names as sent, values without the
 * whitespace around them). Anything else (an informational or {@code 101} status, a folded line, a bare LF, a
 * second {@code Content-Length}, both framings, a control byte, a head longer than the limit) is not this
 * parser's to judge: it answers {@link #OTHER} and the caller leaves the head to Netty's decoder, whose rules
 * then apply as they always did.
 *
 * <p>A kept-alive backend sends nearly the same head every time, and the very same bytes until its {@code Date}
 * changes: a head equal byte for byte to one read whole lately on this event loop, by this backend connection or
 * another ({@link KnownHeads}, most recent first: one comparison of the bytes for a backend's repeated head), is not
 * read again, and its response shares that one's lines. Otherwise a name or value equal to the last head's this
 * parser read at the same place reuses its string. Names are {@link AsciiString}s, which keep their hash.
 */
final class ResponseHeadParser {
    /** {@link #parse}: the head is not complete yet. */
    static final int MORE = 0;
    /** {@link #parse}: not the common shape; Netty's decoder takes the head. */
    static final int OTHER = -1;

    /** Bytes copied for a first look: most heads are shorter, and the body behind them is not copied. */
    private static final int FIRST_LOOK = 512;
    /** Lines of the last head whose name and value are kept for the next. */
    private static final int PREVIOUS_LINES = 16;
    private static final int PREVIOUS_MAX = 256;
    private static final boolean[] TOKEN = new boolean[256];
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] X_ACCEL = "x-accel-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    /** Heads read whole lately on the event loop, for all its backend connections. */
    private static final int KNOWN_HEADS = 8;
    private static final FastThreadLocal<KnownHeads<Head>> KNOWN = new FastThreadLocal<>() {
        @Override
        protected KnownHeads<Head> initialValue() {
            return new KnownHeads<>(KNOWN_HEADS, FIRST_LOOK);
        }
    };

    /** The event loop's copy of the bytes looked at: heads are parsed whole, so nothing stays between calls. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    private final int maxHead;
    private final AsciiString[] previousNames = new AsciiString[PREVIOUS_LINES];
    private final String[] previousValues = new String[PREVIOUS_LINES];
    /** The lines of the head being read, name and value in turn; the response gets a copy of its exact size. */
    private CharSequence[] pairs = new CharSequence[2 * PREVIOUS_LINES];
    private ParsedResponse response;
    /** What the last whole read of a head gave. */
    private Head read;

    /** @param maxHead the longest head this parser takes (longer ones are left to Netty's limits) */
    ResponseHeadParser(int maxHead) {
        this.maxHead = maxHead;
    }

    /**
     * Looks at the readable bytes of {@code in} (not consuming them): the head's length when a whole head of the
     * common shape is there ({@link #response()}, with its framing, is then set), {@link #MORE} or {@link #OTHER}.
     */
    int parse(ByteBuf in) {
        int readable = in.readableBytes();
        int n = Math.min(Math.min(readable, maxHead), FIRST_LOOK);
        byte[] b = scratch(n);
        in.getBytes(in.readerIndex(), b, 0, n);
        KnownHeads<Head> known = KNOWN.get();
        Head found = known.find(b, n);
        if (found != null) {
            response = found.response();
            return found.size();
        }
        int r = parse(b, n);
        if (r == MORE && n < readable && n < maxHead) {
            n = Math.min(readable, maxHead); // a long head, or a short one with a body behind it: all that may count
            b = scratch(n);
            in.getBytes(in.readerIndex(), b, 0, n);
            r = parse(b, n);
        }
        if (r > 0) {
            known.add(b, r, read); // unless it is too long to keep
        }
        return r == MORE && n == maxHead ? OTHER : r;
    }

    /** The event loop's scratch array, at least {@code n} bytes long. */
    private static byte[] scratch(int n) {
        byte[] b = SCRATCH.get();
        if (b.length < n) {
            b = new byte[Math.max(n, b.length * 2)];
            SCRATCH.set(b);
        }
        return b;
    }

    private int parse(byte[] b, int n) {
        // HTTP/1.x SP ddd (SP reason)? CRLF
        if (n < 14) {
            return prefixOk(b, n) ? MORE : OTHER;
        }
        if (!prefixOk(b, 14)) {
            return OTHER;
        }
        HttpVersion version = b[7] == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        int code = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        int i = 12;
        int reasonFrom = i;
        int reasonTo = i;
        if (b[i] == ' ') {
            i++;
            while (i < n && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            reasonFrom = i;
            while (i < n && plain(b[i])) {
                i++;
            }
            reasonTo = i;
            while (reasonTo > reasonFrom && (b[reasonTo - 1] == ' ' || b[reasonTo - 1] == '\t')) {
                reasonTo--;
            }
        }
        int end = lineEnd(b, i, n);
        if (end <= 0) {
            return end;
        }
        i = end;
        long length = -1;
        boolean te = false;
        byte connection = ParsedResponse.CONNECTION_NONE;
        boolean accel = false;
        int line = 0;
        for (;;) {
            if (i + 1 >= n) {
                return i < n && b[i] != '\r' && !TOKEN[b[i] & 0xff] ? OTHER : MORE;
            }
            if (b[i] == '\r') {
                if (b[i + 1] != '\n') {
                    return OTHER;
                }
                i += 2;
                break;
            }
            int nameFrom = i;
            while (i < n && TOKEN[b[i] & 0xff]) {
                i++;
            }
            if (i == n) {
                return MORE;
            }
            if (i == nameFrom || b[i] != ':') {
                return OTHER; // a folded line, a space before the colon, a byte no name has
            }
            int nameTo = i++;
            while (i < n && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            int valueFrom = i;
            while (i < n && plain(b[i])) {
                i++;
            }
            int valueTo = i;
            while (valueTo > valueFrom && (b[valueTo - 1] == ' ' || b[valueTo - 1] == '\t')) {
                valueTo--;
            }
            end = lineEnd(b, i, n);
            if (end <= 0) {
                return end;
            }
            i = end;
            if (HeadText.lowerIs(b, nameFrom, nameTo, CONTENT_LENGTH)) {
                if (length >= 0 || (length = digits(b, valueFrom, valueTo)) < 0) {
                    return OTHER; // a second or an unusual Content-Length: Netty's rules
                }
            } else if (HeadText.lowerIs(b, nameFrom, nameTo, TRANSFER_ENCODING)) {
                if (te || !HeadText.lowerIs(b, valueFrom, valueTo, CHUNKED)) {
                    return OTHER;
                }
                te = true;
            } else if (HeadText.lowerIs(b, nameFrom, nameTo, CONNECTION)) {
                connection = connection != ParsedResponse.CONNECTION_NONE ? ParsedResponse.CONNECTION_OTHER
                        : HeadText.lowerIs(b, valueFrom, valueTo, KEEP_ALIVE) ? ParsedResponse.CONNECTION_KEEP_ALIVE
                        : HeadText.lowerIs(b, valueFrom, valueTo, CLOSE) ? ParsedResponse.CONNECTION_CLOSE
                        : ParsedResponse.CONNECTION_OTHER;
            } else if (!accel && startsWith(b, nameFrom, nameTo, X_ACCEL)) {
                accel = true;
            }
            if (2 * line + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * line] = name(line, b, nameFrom, nameTo);
            pairs[2 * line + 1] = value(line, b, valueFrom, valueTo);
            line++;
        }
        if (te && length >= 0 || code < 200) {
            return OTHER; // both framings; informational answers and 101
        }
        CharSequence[] lines = Arrays.copyOf(pairs, 2 * line);
        Arrays.fill(pairs, 0, 2 * line, null); // kept strings are the previous ones', at most 256 characters each
        read = new Head(i, version, status(code, b, reasonFrom, reasonTo), lines, length, te, connection, accel,
                new StreamHeadMemo());
        this.response = read.response();
        return i;
    }

    /** "HTTP/1.1 ddd" or "HTTP/1.0 ddd" as far as {@code n} bytes go, the code's first digit 1 to 9. */
    private static boolean prefixOk(byte[] b, int n) {
        for (int i = 0; i < Math.min(n, 7); i++) {
            if (b[i] != HTTP_1[i]) {
                return false;
            }
        }
        return (n <= 7 || b[7] == '1' || b[7] == '0') && (n <= 8 || b[8] == ' ')
                && (n <= 9 || b[9] >= '1' && b[9] <= '9') && (n <= 10 || digit(b[10]))
                && (n <= 11 || digit(b[11])) && (n <= 12 || b[12] == ' ' || b[12] == '\r');
    }

    /** The offset after the CRLF at {@code i}; {@link #MORE} when the bytes end first, else {@link #OTHER}. */
    private static int lineEnd(byte[] b, int i, int n) {
        if (i + 1 >= n) {
            return i < n && b[i] != '\r' ? OTHER : MORE;
        }
        return b[i] == '\r' && b[i + 1] == '\n' ? i + 2 : OTHER;
    }

    /** Value and reason bytes: visible ASCII, bytes above 0x7f, space and tab (no other control byte, no DEL). */
    private static boolean plain(byte c) {
        return c >= 0x20 && c != 0x7f || c < 0 || c == '\t';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Decimal digits only, at most 18: the value; else -1. */
    private static long digits(byte[] b, int from, int to) {
        if (to == from || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (!digit(b[i])) {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** {@code b[from, to)} begins with {@code lower} without regard to case. */
    private static boolean startsWith(byte[] b, int from, int to, byte[] lower) {
        return to - from >= lower.length && HeadText.lowerIs(b, from, from + lower.length, lower);
    }

    /** The status as Netty's {@code HttpResponseStatus.valueOf(code, reason)}: the constant when the reason is its. */
    private static HttpResponseStatus status(int code, byte[] b, int from, int to) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        String phrase = known.reasonPhrase();
        if (HeadText.same(phrase, b, from, to - from)) {
            return known;
        }
        return HttpResponseStatus.valueOf(code, new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /**
     * A name as an {@link AsciiString} (a name is token bytes), whose hash it keeps: the header maps the head goes
     * through look every name up several times, and a kept one is hashed once per connection.
     */
    private AsciiString name(int line, byte[] b, int from, int to) {
        int len = to - from;
        if (line < PREVIOUS_LINES) {
            AsciiString p = previousNames[line];
            if (HeadText.same(p, b, from, len)) {
                return p;
            }
        }
        AsciiString s = new AsciiString(b, from, len, true);
        if (line < PREVIOUS_LINES) {
            previousNames[line] = len <= PREVIOUS_MAX ? s : null;
        }
        return s;
    }

    private String value(int line, byte[] b, int from, int to) {
        int len = to - from;
        if (line < PREVIOUS_LINES) {
            String p = previousValues[line];
            if (HeadText.same(p, b, from, len)) {
                return p;
            }
        }
        String s = new String(b, from, len, StandardCharsets.ISO_8859_1);
        if (line < PREVIOUS_LINES) {
            previousValues[line] = len <= PREVIOUS_MAX ? s : null;
        }
        return s;
    }

    /**
     * What a head's parse found, each response made from it getting its own {@link ParsedResponse} (which may change
     * its own fields): {@code lines} is shared, and only read, and so is {@code memo}, which keeps the head last
     * written to a client from those lines. {@code size}: the head's length in bytes.
     */
    private record Head(int size, HttpVersion version, HttpResponseStatus status, CharSequence[] lines, long length,
                        boolean chunked, byte connection, boolean accel, StreamHeadMemo memo) {
        ParsedResponse response() {
            return new ParsedResponse(version, status, lines, length, chunked, connection, accel, memo);
        }
    }

    /** The response of the head {@link #parse} last found or read whole. */
    ParsedResponse response() {
        return response;
    }
}
