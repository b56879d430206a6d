package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;

/**
 * A message head (a response's, a proxied request's, a chunked body's trailer) put together in the thread's own
 * byte array and then copied into the buffer that goes to the socket in one write. Written straight into a pooled
 * direct buffer, each of a head's dozen pieces paid the buffer's bounds, reference-count and copy-call checks (8% of
 * a {@code return 200} worker's samples). One per thread: a head is built and copied out before anything else on the
 * thread can start another.
 */
public final class HeadScratch {
    private static final int START = 512;
    /** A larger array, grown for a huge head, is not kept for the next one. */
    private static final int KEEP = 16 * 1024;
    private static final FastThreadLocal<HeadScratch> THREAD = new FastThreadLocal<>() {
        @Override
        protected HeadScratch initialValue() {
            return new HeadScratch();
        }
    };

    private byte[] a = new byte[START];
    private int n;

    private HeadScratch() {
    }

    /** The thread's scratch, empty. */
    public static HeadScratch start() {
        HeadScratch s = THREAD.get();
        s.n = 0;
        return s;
    }

    public HeadScratch bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, a, n, b.length);
        n += b.length;
        return this;
    }

    /** {@code b}'s readable bytes (a small body behind its head), left unread in {@code b}. */
    HeadScratch bytes(ByteBuf b) {
        int len = b.readableBytes();
        room(len);
        b.getBytes(b.readerIndex(), a, n, len);
        n += len;
        return this;
    }

    /** As Netty's header encoder writes a value: one byte per char, a char above 0xFF as {@code ?}. */
    public HeadScratch ascii(CharSequence s) {
        int len = s.length();
        room(len);
        if (s instanceof AsciiString x) {
            System.arraycopy(x.array(), x.arrayOffset(), a, n, len);
        } else {
            for (int i = 0; i < len; i++) {
                a[n + i] = AsciiString.c2b(s.charAt(i));
            }
        }
        n += len;
        return this;
    }

    /** {@code name} then {@code value}, when there is a value (name: one of {@link HeadBytes}' lines). */
    HeadScratch line(byte[] name, CharSequence value) {
        return value == null ? this : bytes(name).ascii(value);
    }

    /** CRLF, then a line {@code name: value} (a response head's lines, each after its CRLF). */
    HeadScratch line(CharSequence name, CharSequence value) {
        return crlf().nameValue(name, value);
    }

    public HeadScratch put(char c) {
        room(1);
        a[n++] = (byte) c;
        return this;
    }

    /** A line {@code name: value}, then CRLF (a request head's lines, each ending its own). */
    public HeadScratch field(CharSequence name, CharSequence value) {
        return nameValue(name, value).crlf();
    }

    private HeadScratch nameValue(CharSequence name, CharSequence value) {
        ascii(name);
        room(2);
        a[n++] = ':';
        a[n++] = ' ';
        return ascii(value);
    }

    public HeadScratch crlf() {
        room(2);
        a[n++] = '\r';
        a[n++] = '\n';
        return this;
    }

    /** {@code status}'s line as Netty writes it: {@code HTTP/1.1}, the code, a space, the reason, CRLF. */
    HeadScratch statusLine(HttpResponseStatus status) {
        int code = status.code();
        if (code >= 100 && code < 1000 && status == Statuses.of(code)) {
            return bytes(HeadBytes.statusLine(code));
        }
        return bytes(HeadBytes.HTTP_1_1).ascii(status.codeAsText()).put(' ').ascii(status.reasonPhrase()).crlf();
    }

    /** How many bytes the head has so far. */
    int size() {
        return n;
    }

    /** The head so far copied into {@code into}, or into a larger array when it does not fit: the array used. */
    byte[] into(byte[] into) {
        byte[] out = into.length >= n ? into : new byte[n];
        System.arraycopy(a, 0, out, 0, n);
        return out;
    }

    /** The head so far in a new direct buffer of {@code alloc} with room for {@code more} bytes after it. */
    public ByteBuf copy(ByteBufAllocator alloc, int more) {
        ByteBuf buf = alloc.directBuffer(n + more);
        buf.writeBytes(a, 0, n);
        if (a.length > KEEP) {
            a = new byte[START];
        }
        return buf;
    }

    private void room(int len) {
        if (n + len > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, n + len));
        }
    }
}
