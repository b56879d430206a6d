package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket echo through the real {@code bin/pier} with nginx's Upgrade recipe. */
class ProxyWebSocketIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void echoThroughTheProxy() throws Exception {
        try (ProxyBackend b = new ProxyBackend("ws")) {
            int port = proxyTo(b, "");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 101 ")
                        .containsIgnoringCase("\r\nUpgrade: websocket\r\n")
                        .containsIgnoringCase("\r\nConnection: upgrade\r\n")
                        // RFC 6455 §1.3's example key and answer
                        .contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                        // the backend's Server is hidden, as nginx hides it by default: Pier's own is sent
                        .contains("\r\nServer: pier").doesNotContain("ws-backend");
                int[] op = new int[1];
                for (int i = 0; i < 20; i++) {
                    String msg = "hello " + i + " " + "x".repeat(i * 50);
                    out.write(WebSocketFrames.masked(1, msg.getBytes(StandardCharsets.UTF_8)));
                    out.flush();
                    assertThat(new String(WebSocketFrames.read(in, op), StandardCharsets.UTF_8)).isEqualTo(msg);
                    assertThat(op[0]).isEqualTo(1);
                }
                out.write(WebSocketFrames.masked(8, new byte[0]));
                out.flush();
                WebSocketFrames.read(in, op);
                assertThat(op[0]).as("close frame echoed").isEqualTo(8);
                assertThat(in.read()).as("then both sides close").isEqualTo(-1);
            }
        }
    }

    /** With {@code proxy_pass_header Server} the 101 carries the backend's {@code Server}, as any response does. */
    @Test
    void aPassedServerHeaderReachesTheClientOnASwitch() throws Exception {
        try (ProxyBackend b = new ProxyBackend("ws")) {
            int port = proxyTo(b, "proxy_pass_header Server;");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String head = readHead(s.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 101 ").contains("\r\nServer: ws-backend\r\n")
                        .doesNotContain("Server: pier");
            }
        }
    }

    /**
     * {@code send_timeout} holds on a switched connection too, as nginx times the client's side of an upgraded
     * connection with it: a client that sends frames to be echoed and reads nothing is closed after it, and
     * {@code client timed out} is logged.
     */
    @Test
    void aClientThatStopsReadingASwitchedConnectionIsClosedAfterSendTimeout() throws Exception {
        try (ProxyBackend b = new ProxyBackend("ws")) {
            int port = proxyTo(b, "send_timeout 1s;");
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024); // its side fills soon once it stops reading
                s.setSoTimeout(20_000);
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
                byte[] frame = WebSocketFrames.masked(2, new byte[60_000]);
                long sent = 1000L * frame.length;
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 1000; i++) {
                            out.write(frame); // blocks once nothing moves any more, until the close
                        }
                    } catch (java.io.IOException closed) {
                        // the connection was closed under it
                    }
                });
                Await.until(java.time.Duration.ofSeconds(20),
                        () -> "client timed out logged:\n" + instance.prefix().errorLogText(),
                        () -> instance.prefix().errorLogText().contains("client timed out"));
                long got = 0;
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        got += n;
                    }
                } catch (java.io.IOException reset) {
                    // a reset ends it too
                }
                assertThat(got).as("cut off before everything was echoed").isLessThan(sent);
                s.close();
                writer.join(10_000);
                assertThat(writer.isAlive()).isFalse();
            }
        }
    }

    private PierInstance instance;

    /** Starts Pier with nginx's WebSocket recipe to {@code b} (and {@code extra} directives): its port. */
    private int proxyTo(ProxyBackend b, String extra) throws Exception {
        int port = Ports.free();
        instance = pier.newInstance().writeConf(ProxyConfs.conf(1, port, "", """
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection "upgrade";
                        %s
                    }
                """.formatted(b.port(), extra))).start();
        return port;
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
