package dev.pier.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend whose answer a test writes: on 127.0.0.1:0 (plain, or TLS from a given {@code SSLContext}), one virtual
 * thread per connection; each request's head is parsed and handed to the test's {@link Handler} with the raw streams,
 * which must read any body itself. Returning true keeps the connection for the next request. Over TLS the
 * header map also holds {@code ":sni"}: the server names the client asked for, as a list.
 */
final class ScriptedBackend implements AutoCloseable {
    /** One request: the line, lower-case headers, the connection's streams. */
    interface Handler {
        boolean handle(String requestLine, Map<String, String> headers, InputStream in, OutputStream out)
                throws IOException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    ScriptedBackend(Handler handler) {
        this(null, handler);
    }

    ScriptedBackend(javax.net.ssl.SSLContext tls, Handler handler) {
        this.handler = handler;
        try {
            server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("scripted-backend").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
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

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
             OutputStream out = s.getOutputStream()) {
            for (;;) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
                    int c = h.indexOf(':');
                    headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
                }
                if (s instanceof javax.net.ssl.SSLSocket tls
                        && tls.getSession() instanceof javax.net.ssl.ExtendedSSLSession e) {
                    // the names the client sent with SNI, for the test to check (":sni" cannot be a header name)
                    headers.put(":sni", e.getRequestedServerNames().stream()
                            .map(n -> ((javax.net.ssl.SNIHostName) n).getAsciiName()).toList().toString());
                }
                if (!handler.handle(line, headers, in, out)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the proxy went away
        } finally {
            open.remove(s);
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Writes a head: the status line, the header lines given, and the empty line. */
    static void head(OutputStream out, String status, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code n} bytes of {@link ProxyBackend#pattern} in 64 KiB writes. */
    static void pattern(OutputStream out, long n) throws IOException {
        byte[] buf = new byte[65536];
        for (long off = 0; off < n; ) {
            int len = (int) Math.min(buf.length, n - off);
            for (int i = 0; i < len; i++) {
                buf[i] = ProxyBackend.pattern(off + i);
            }
            out.write(buf, 0, len);
            off += len;
        }
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
