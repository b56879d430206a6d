package dev.pier.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a frame payload. Every length and count is checked against the bytes that remain before anything is
 * allocated, so a hostile or corrupt frame costs at most its own size, and any problem is an IOException.
 */
final class PayloadReader {
    private final byte[] data;
    private int pos;
    private final int limit;

    PayloadReader(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.limit = offset + length;
    }

    int remaining() {
        return limit - pos;
    }

    private void need(int n, String what) throws IOException {
        if (n < 0 || n > remaining()) {
            throw new IOException("truncated control frame: " + what + " needs " + n + " bytes, " + remaining()
                    + " left");
        }
    }

    byte readByte(String what) throws IOException {
        need(1, what);
        return data[pos++];
    }

    boolean readBoolean(String what) throws IOException {
        byte b = readByte(what);
        if (b != 0 && b != 1) {
            throw new IOException("bad control frame: " + what + " is " + b + ", not a boolean");
        }
        return b == 1;
    }

    int readInt(String what) throws IOException {
        need(4, what);
        int v = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long readLong(String what) throws IOException {
        return ((long) readInt(what) << 32) | (readInt(what) & 0xffffffffL);
    }

    byte[] readBytes(int n, String what) throws IOException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    String readString(String what) throws IOException {
        int n = readInt(what + " length");
        need(n, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new IOException("bad control frame: " + what + " is not UTF-8", e);
        }
    }

    /** A list length; each element takes at least {@code minElementBytes}, which bounds it by what remains. */
    int readCount(int minElementBytes, String what) throws IOException {
        int n = readInt(what + " count");
        if (n < 0 || (long) n * minElementBytes > remaining()) {
            throw new IOException("bad control frame: " + what + " count " + n + " exceeds the frame");
        }
        return n;
    }
}
