package dev.pier.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Body framing of an HTTP/1.1 response (RFC 9112 §6): fixed length, chunked, or until the server closes. */
final class HttpBodies {
    private static final int MAX_LINE = 16 * 1024;

    private HttpBodies() {
    }

    /** Reads a CRLF (or bare LF) terminated line without its terminator; null at EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a line: "
                        + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
        }
    }

    /** Exactly {@code length} bytes, then EOF; fails if the connection ends early. */
    static InputStream fixed(InputStream in, long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new EOFException("connection closed with " + left + " of " + length + " body bytes missing");
                }
                left -= n;
                return n;
            }
        };
    }

    /** A chunked body: size lines in hex (extensions ignored), data, and a trailer section that is skipped. */
    static InputStream chunked(InputStream in) {
        return new InputStream() {
            private long left;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) {
                    return -1;
                }
                if (left == 0 && !nextChunk()) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new EOFException("connection closed inside a chunk");
                }
                left -= n;
                if (left == 0) {
                    expectEmptyLine();
                }
                return n;
            }

            private boolean nextChunk() throws IOException {
                String line = readLine(in);
                if (line == null) {
                    throw new EOFException("connection closed before the last chunk");
                }
                int semi = line.indexOf(';');
                left = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are not needed by the tests
                    }
                    done = true;
                    return false;
                }
                return true;
            }

            private void expectEmptyLine() throws IOException {
                String crlf = readLine(in);
                if (crlf == null || !crlf.isEmpty()) {
                    throw new IOException("chunk data not followed by CRLF: " + crlf);
                }
            }
        };
    }
}
