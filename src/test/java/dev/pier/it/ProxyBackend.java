package dev.pier.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 backend for the proxy ITs on 127.0.0.1 (port 0, or a given port to come back on) or on a Unix
 * domain socket ({@link #unix}), one virtual
 * thread per connection, keep-alive as HTTP/1.1 says, counting the connections and requests it sees. Routes:
 * <pre>
 *   /sleep/MS...      waits MS ms, then answers like the default route
 *   /status/CODE      answers CODE with a short body
 *   /big/N            N bytes of {@link #pattern} (Content-Length), in 64 KiB writes
 *   /sha              reads the body (Content-Length or chunked), answers "LENGTH SHA-256-HEX"
 *   /cookie           Set-Cookie: s=1; Domain=backend.test; Path=/app/x
 *   /server           Server: backend/1.0 and Date: Thu, 01 Jan 2026 00:00:00 GMT
 *   /redirect         302 with Location: http://127.0.0.1:PORT/app/there (this backend's own URL)
 *   /ws               WebSocket handshake (RFC 6455), then echoes every text frame
 *   anything else     200, headers X-Backend: NAME and X-App: yes, body "NAME METHOD TARGET VERSION\n" then the
 *                     request headers as "name: value" lines (names lower case)
 * </pre>
 */
final class ProxyBackend implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final java.nio.channels.ServerSocketChannel unixServer;
    private final java.nio.file.Path unixPath;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<java.io.Closeable> open = ConcurrentHashMap.newKeySet();

    ProxyBackend(String name) {
        this(name, 0);
    }

    /** Listens on {@code port} (0 for any), so a stopped backend can come back on its old port. */
    ProxyBackend(String name, int port) {
        this.name = name;
        this.unixServer = null;
        this.unixPath = null;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("backend-" + name).start(this::acceptLoop);
    }

    private ProxyBackend(String name, java.nio.file.Path path) {
        this.name = name;
        this.server = null;
        this.unixPath = path;
        try {
            java.nio.file.Files.deleteIfExists(path);
            unixServer = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            unixServer.bind(java.net.UnixDomainSocketAddress.of(path), 512);
            // the workers run as nobody: the socket must be writable for them, as an operator's would be
            java.nio.file.Files.setPosixFilePermissions(path,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("backend-" + name).start(this::acceptUnixLoop);
    }

    /** A backend listening on the Unix domain socket {@code path} (replaced if it exists, mode 0777). */
    static ProxyBackend unix(String name, java.nio.file.Path path) {
        return new ProxyBackend(name, path);
    }

    int port() {
        return server == null ? 0 : server.getLocalPort();
    }

    String name() {
        return name;
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    /** Connections accepted and not closed yet (by either side). */
    int openConnections() {
        return open.size();
    }

    /** Requests read whose response is not written yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** The byte at offset {@code i} of every {@code /big/N} body. */
    static byte pattern(long i) {
        return (byte) ('a' + (i * 7 + i / 4096) % 26);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void acceptUnixLoop() {
        while (unixServer.isOpen()) {
            try {
                java.nio.channels.SocketChannel s = unixServer.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s, java.nio.channels.Channels.newInputStream(s),
                        java.nio.channels.Channels.newOutputStream(s)));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            s.setTcpNoDelay(true);
            serve(s, s.getInputStream(), s.getOutputStream());
        } catch (IOException e) {
            open.remove(s);
        }
    }

    private void serve(java.io.Closeable s, InputStream rawIn, OutputStream rawOut) {
        try (s; InputStream in = new BufferedInputStream(rawIn, 65536); OutputStream out = rawOut) {
            for (;;) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
                    int c = h.indexOf(':');
                    String n = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
                    headers.merge(n, h.substring(c + 1).trim(), (a, b) -> a + ", " + b);
                }
                requests.incrementAndGet();
                inFlight.incrementAndGet();
                try {
                    String[] rl = line.split(" ");
                    boolean keep = rl[2].equals("HTTP/1.1") ? !"close".equalsIgnoreCase(headers.get("connection"))
                            : "keep-alive".equalsIgnoreCase(headers.get("connection"));
                    if (rl[1].equals("/ws")) {
                        webSocket(in, out, headers);
                        return;
                    }
                    if (!respond(rl, headers, in, out, keep)) {
                        return;
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // client went away or the backend was stopped
        } finally {
            open.remove(s);
        }
    }

    private boolean respond(String[] rl, Map<String, String> headers, InputStream in, OutputStream out, boolean keep)
            throws IOException {
        String target = rl[1];
        MessageDigest sha = sha256();
        long length = readBody(in, headers, sha);
        String conn = keep ? "" : "Connection: close\r\n";
        if (target.startsWith("/sleep/")) {
            String ms = target.substring(7).split("[/?]")[0];
            try {
                Thread.sleep(Long.parseLong(ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (target.startsWith("/big/")) {
            long n = Long.parseLong(target.substring(5));
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n" + conn + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[65536];
            for (long off = 0; off < n; ) {
                int len = (int) Math.min(buf.length, n - off);
                for (int i = 0; i < len; i++) {
                    buf[i] = pattern(off + i);
                }
                out.write(buf, 0, len);
                off += len;
            }
            out.flush();
            return keep;
        }
        String extra = "";
        int status = 200;
        String body;
        if (target.startsWith("/status/")) {
            status = Integer.parseInt(target.substring(8));
            body = name + " status " + status + "\n";
        } else if (target.equals("/sha")) {
            body = length + " " + HexFormat.of().formatHex(sha.digest());
        } else if (target.equals("/cookie")) {
            extra = "Set-Cookie: s=1; Domain=backend.test; Path=/app/x\r\n";
            body = "cookie\n";
        } else if (target.equals("/server")) {
            extra = "Server: backend/1.0\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n";
            body = "server\n";
        } else if (target.equals("/redirect")) {
            status = 302;
            extra = "Location: http://127.0.0.1:" + port() + "/app/there\r\n";
            body = "moved\n";
        } else {
            StringBuilder sb = new StringBuilder(name + " " + String.join(" ", rl) + "\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            body = sb.toString();
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nX-Backend: " + name + "\r\nX-App: yes\r\nX-Accel-Buffering: no\r\n"
                + "Content-Length: " + b.length + "\r\n" + extra + conn + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(b);
        out.flush();
        return keep;
    }

    /** Reads a request body (Content-Length or chunked) into {@code sha}; returns its length. */
    private static long readBody(InputStream in, Map<String, String> headers, MessageDigest sha) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (;;) {
                long size = Long.parseLong(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return total;
                }
                total += copy(in, size, buf, sha);
                readLine(in);
            }
        }
        String cl = headers.get("content-length");
        return cl == null ? 0 : copy(in, Long.parseLong(cl), buf, sha);
    }

    private static long copy(InputStream in, long n, byte[] buf, MessageDigest sha) throws IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("body truncated");
            }
            sha.update(buf, 0, r);
            left -= r;
        }
        return n;
    }

    /** RFC 6455 handshake, then echo text frames (client frames are masked, ours are not) until a close frame. */
    private static void webSocket(InputStream in, OutputStream out, Map<String, String> headers) throws IOException {
        String key = headers.get("sec-websocket-key");
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nServer: ws-backend\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (;;) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return;
            }
            int len = b1 & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes(len);
            for (int i = 0; i < len; i++) {
                payload[i] ^= mask[i % 4];
            }
            if ((b0 & 0x0f) == 8) {
                out.write(new byte[]{(byte) 0x88, 0});
                out.flush();
                return;
            }
            out.write(WebSocketFrames.unmasked(b0 & 0x0f, payload));
            out.flush();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops listening and closes every connection: the port now refuses connections. */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            } else {
                unixServer.close();
                java.nio.file.Files.deleteIfExists(unixPath);
            }
        } catch (IOException e) {
            // closing anyway
        }
        for (java.io.Closeable s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
