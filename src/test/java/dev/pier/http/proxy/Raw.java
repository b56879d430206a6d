package dev.pier.http.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Speaks raw HTTP/1.x to Pier over loopback. */
final class Raw {
    private Raw() {
    }

    /** Sends {@code request} and reads until the server closes (send {@code Connection: close}). */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String get(int port, String target, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return exchange(port, sb.append("Connection: close\r\n\r\n").toString());
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in head: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
