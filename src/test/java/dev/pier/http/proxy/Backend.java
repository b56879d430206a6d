package dev.pier.http.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HttpServer backend on 127.0.0.1:0: {@code /echo...} answers with the request line and headers it got,
 * {@code /upload} counts body bytes, {@code /big?n=BYTES} streams a body, {@code /status/N} answers N, {@code /slow}
 * never answers within a test's timeout. Counts requests and distinct client connections.
 */
final class Backend implements AutoCloseable {
    final HttpServer server;
    final String name;
    final AtomicInteger requests = new AtomicInteger();
    final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    Backend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        connections.add(x.getRemoteAddress().getPort());
        String path = x.getRequestURI().getRawPath();
        try (InputStream in = x.getRequestBody(); OutputStream out = x.getResponseBody()) {
            if (path.startsWith("/status/")) {
                in.readAllBytes();
                byte[] b = (name + " " + path).getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(Integer.parseInt(path.substring(8)), b.length);
                out.write(b);
            } else if (path.equals("/upload")) {
                long n = 0;
                byte[] buf = new byte[65536];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                }
                byte[] b = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
                x.sendResponseHeaders(200, b.length);
                out.write(b);
            } else if (path.equals("/big")) {
                long n = Long.parseLong(x.getRequestURI().getQuery().substring(2));
                x.sendResponseHeaders(200, 0); // chunked
                byte[] buf = new byte[65536];
                for (long left = n; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            } else if (path.equals("/redirect")) {
                in.readAllBytes();
                x.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/remote/elsewhere");
                x.sendResponseHeaders(302, -1);
            } else if (path.equals("/slow")) {
                in.readAllBytes();
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.sendResponseHeaders(200, -1);
            } else {
                byte[] body = in.readAllBytes();
                StringBuilder sb = new StringBuilder(name).append('\n');
                sb.append(x.getRequestMethod()).append(' ').append(x.getRequestURI().getRawPath())
                        .append(x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery())
                        .append(' ').append(x.getProtocol()).append('\n');
                new TreeMap<>(x.getRequestHeaders()).forEach((k, v) -> sb.append(k.toLowerCase()).append(": ")
                        .append(String.join(",", v)).append('\n'));
                sb.append("body=").append(body.length);
                x.getResponseHeaders().add("X-Backend", name);
                x.getResponseHeaders().add("X-Accel-Expires", "10"); // hidden by default
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, b.length);
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
