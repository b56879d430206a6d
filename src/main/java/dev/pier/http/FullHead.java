package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import static dev.pier.http.HeadBytes.CLOSE;
import static dev.pier.http.HeadBytes.CONTENT_LENGTH;
import static dev.pier.http.HeadBytes.CONTENT_TYPE;
import static dev.pier.http.HeadBytes.DATE;
import static dev.pier.http.HeadBytes.END;
import static dev.pier.http.HeadBytes.KEEP_ALIVE;
import static dev.pier.http.HeadBytes.KEEP_ALIVE_TIMEOUT;
import static dev.pier.http.HeadBytes.LAST_MODIFIED;
import static dev.pier.http.HeadBytes.SERVER;
import static dev.pier.http.HeadBytes.statusLine;

/**
 * A whole response in the shape {@link ResponseWriter} gives one when no header filter touches its head: the status
 * line, {@code Server}, {@code Date}, {@code Content-Type} (if any), {@code Content-Length}, a file's
 * {@code Last-Modified}, {@code Connection}, nginx's {@code Keep-Alive: timeout=N} (if configured) and the lines a
 * module added, written straight into the buffer that goes to the socket,
 * with a small body appended. These are the bytes the header map and Netty's encoder produce for the same response
 * ({@code FullHeadTest} holds it to that), without building the map: about a third of the HTTP pipeline's CPU for
 * {@code return 200} (docs/PERFORMANCE.md, eighth part).
 */
final class FullHead {
    /** A body up to this size shares the head's buffer (one write), as Netty's encoder does with small bodies. */
    static final int MERGED_BODY = 2048;

    /** The thread's last head without module lines: the same response again (mostly within one second) copies it. */
    private static final FastThreadLocal<LastHead> LAST = new FastThreadLocal<>() {
        @Override
        protected LastHead initialValue() {
            return new LastHead();
        }
    };

    private FullHead() {
    }

    /**
     * A head's bytes and what they were built from. Text is the same when it is the same immutable object ({@code
     * Server}, {@code Date} within its second, the location's type, a cached length, {@code Keep-Alive}) or, for a
     * length or a file's date, has the same characters; anything else is built again.
     */
    private static final class LastHead {
        private final KeptHead head = new KeptHead();
        private int code;
        private boolean keepAlive;
        private CharSequence server;
        private CharSequence date;
        private CharSequence type;
        private AsciiString length;
        private CharSequence lastModified;
        private AsciiString keepAliveHeader;

        boolean same(int code, CharSequence server, CharSequence date, CharSequence type, AsciiString length,
                     CharSequence lastModified, boolean keepAlive, AsciiString keepAliveHeader) {
            return head.isKept() && code == this.code && keepAlive == this.keepAlive && fixed(server, this.server)
                    && fixed(date, this.date) && fixed(type, this.type) && keepAliveHeader == this.keepAliveHeader
                    && AsciiString.contentEquals(length, this.length)
                    && (lastModified == null ? this.lastModified == null
                    : this.lastModified != null && AsciiString.contentEquals(lastModified, this.lastModified));
        }

        /** The same object, and one whose characters cannot change (a builder's can). */
        private static boolean fixed(CharSequence s, CharSequence kept) {
            return s == kept && (s == null || s instanceof AsciiString || s instanceof String);
        }

        void keep(HeadScratch h, int code, CharSequence server, CharSequence date, CharSequence type,
                  AsciiString length, CharSequence lastModified, boolean keepAlive, AsciiString keepAliveHeader) {
            if (!head.keep(h)) {
                return;
            }
            this.code = code;
            this.keepAlive = keepAlive;
            this.server = server;
            this.date = date;
            this.type = type;
            this.length = length;
            this.lastModified = lastModified == null ? null : lastModified.toString();
            this.keepAliveHeader = keepAliveHeader;
        }
    }

    /**
     * The response's bytes: the head, then {@code body} when it is small (released here); a larger body stays the
     * caller's to write after them. {@code code} is 100..999; {@code type} and {@code keepAliveHeader} may be null.
     */
    static ByteBuf encode(ByteBufAllocator alloc, int code, CharSequence server, CharSequence date,
                          CharSequence type, AsciiString length, boolean keepAlive, AsciiString keepAliveHeader,
                          ByteBuf body) {
        return encode(alloc, code, server, date, type, length, null, keepAlive, keepAliveHeader, null, body);
    }

    /**
     * As above, with a file's {@code Last-Modified} after the length and the lines a module added ({@code extra}:
     * {@code ETag}, {@code Accept-Ranges}, {@code Content-Range} …) after {@code Keep-Alive}, in their order; both may
     * be null.
     */
    static ByteBuf encode(ByteBufAllocator alloc, int code, CharSequence server, CharSequence date,
                          CharSequence type, AsciiString length, CharSequence lastModified, boolean keepAlive,
                          AsciiString keepAliveHeader, HttpHeaders extra, ByteBuf body) {
        int bodyBytes = body.readableBytes();
        boolean merged = bodyBytes <= MERGED_BODY;
        LastHead last = extra == null || extra.isEmpty() ? LAST.get() : null;
        if (last != null && last.same(code, server, date, type, length, lastModified, keepAlive, keepAliveHeader)) {
            ByteBuf buf = last.head.copy(alloc, merged ? bodyBytes : 0);
            if (!merged) {
                return buf;
            }
            buf.writeBytes(body);
            body.release();
            return buf;
        }
        HeadScratch h = HeadScratch.start().bytes(statusLine(code)).bytes(SERVER).ascii(server)
                .line(DATE, date).line(CONTENT_TYPE, type).line(CONTENT_LENGTH, length)
                .line(LAST_MODIFIED, lastModified).bytes(keepAlive ? KEEP_ALIVE : CLOSE)
                .line(KEEP_ALIVE_TIMEOUT, keepAliveHeader);
        if (extra != null) {
            for (var it = extra.iteratorCharSequence(); it.hasNext(); ) {
                var e = it.next();
                h.line(e.getKey(), e.getValue());
            }
        }
        h.bytes(END);
        if (last != null) {
            last.keep(h, code, server, date, type, length, lastModified, keepAlive, keepAliveHeader);
        }
        if (!merged) {
            return h.copy(alloc, 0);
        }
        ByteBuf buf = h.bytes(body).copy(alloc, 0);
        body.release();
        return buf;
    }
}
