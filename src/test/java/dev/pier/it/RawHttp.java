package dev.pier.it;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A blocking raw-socket HTTP/1.1 client for black-box tests: the test writes the exact request bytes, the client parses
 * what comes back (status line, headers, body framed by Content-Length, chunked, or close — RFC 9112 §6.3). One
 * instance is one TCP connection, so keep-alive and pipelining are tested by sending several requests and reading
 * several responses. Every read has a timeout, so a test never hangs on a silent server.
 */
public final class RawHttp implements Closeable {
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_HEADERS = 200;

    /** A response whose body is still on the wire; read {@code body} to its end before the next response. */
    public record Streamed(HttpResponse head, InputStream body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:port with the default read timeout. */
    public static RawHttp connect(int port) {
        return connect(port, READ_TIMEOUT, 0);
    }

    /**
     * Connects to 127.0.0.1:port. A positive {@code receiveBuffer} is set before connecting (so the TCP window is
     * negotiated with it), which lets a test read slowly and really hold the server back.
     */
    public static RawHttp connect(int port, Duration readTimeout, int receiveBuffer) {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            return new RawHttp(s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    /** {@code METHOD target HTTP/1.1}, {@code Host: localhost}, the given header lines, and the empty line. */
    public static String request(String method, String target, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** One GET with {@code Connection: close} on a fresh connection. */
    public static HttpResponse get(int port, String target) {
        try (RawHttp c = connect(port)) {
            return c.send(request("GET", target, "Connection: close")).read();
        }
    }

    /**
     * Waits until {@code GET target} on a fresh connection answers 200; a refused or broken attempt (the server is
     * still starting, or is out of connections) is tried again.
     */
    public static void awaitOk(int port, String target, Duration timeout, String what) {
        Await.until(timeout, what, () -> {
            try {
                return get(port, target).status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** Writes the bytes exactly as given (ISO-8859-1, the wire's charset for the head). */
    public RawHttp send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("send", e);
        }
    }

    /** Reads the next response, body included. */
    public HttpResponse read() {
        return readFully(false);
    }

    /** Reads the next response to a HEAD request: headers only, whatever Content-Length says (RFC 9110 §9.3.2). */
    public HttpResponse readHead() {
        return readFully(true);
    }

    /** Reads the status line and headers; the body is left on the wire behind the returned stream. */
    public Streamed readStreamed() {
        try {
            HttpResponse head = readHeaders();
            return new Streamed(head, bodyStream(head, false));
        } catch (IOException e) {
            throw new UncheckedIOException("read response", e);
        }
    }

    /**
     * Waits until the server closes the connection (EOF or reset) and returns true, or returns false if it is still
     * open after {@code timeout}. Bytes arriving meanwhile fail the call: an idle connection must stay silent.
     */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (;;) {
                long leftMs = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (leftMs <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, leftMs));
                try {
                    int b = in.read();
                    if (b < 0) {
                        return true;
                    }
                    throw new AssertionError("unexpected byte 0x" + Integer.toHexString(b) + " on an idle connection");
                } catch (SocketTimeoutException stillOpen) {
                    // loop re-checks the deadline
                } catch (SocketException reset) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private HttpResponse readFully(boolean head) {
        try {
            HttpResponse h = readHeaders();
            byte[] body = bodyStream(h, head).readAllBytes();
            return new HttpResponse(h.version(), h.status(), h.reason(), h.headers(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("read response", e);
        }
    }

    private HttpResponse readHeaders() throws IOException {
        String statusLine = HttpBodies.readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = HttpBodies.readLine(in); ; line = HttpBodies.readLine(in)) {
            if (line == null) {
                throw new EOFException("connection closed inside the response head");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
            if (headers.size() > MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " headers");
            }
        }
        return new HttpResponse(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers,
                new byte[0]);
    }

    private InputStream bodyStream(HttpResponse h, boolean head) throws IOException {
        int s = h.status();
        if (head || s / 100 == 1 || s == 204 || s == 304) {
            return InputStream.nullInputStream();
        }
        if (h.headers("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase().contains("chunked"))) {
            return HttpBodies.chunked(in);
        }
        var length = h.header("Content-Length");
        if (length.isPresent()) {
            return HttpBodies.fixed(in, Long.parseLong(length.get().trim()));
        }
        return in; // delimited by the server closing the connection
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
