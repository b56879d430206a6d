package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_pass http://unix:/path:/uri} and {@code server unix:/path} through the real {@code bin/pier}: the
 * workers (running as {@code nobody} under root) reach a backend on a Unix domain socket, send nginx's
 * {@code Host: localhost}, report {@code $upstream_addr} as {@code unix:/path}, and answer 502 with nginx's log
 * line for a socket that is not there.
 */
class ProxyUnixIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void proxiesToUnixSockets() throws Exception {
        Path dir = Files.createTempDirectory("pier-unix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = dir.resolve("backend.sock");
        Path missing = dir.resolve("missing.sock");
        try (ProxyBackend b = ProxyBackend.unix("u1", sock)) {
            int port = Ports.free();
            PierInstance p = pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                        upstream socks {
                            server unix:%1$s;
                            keepalive 4;
                        }
                    """.formatted(sock), """
                        location /direct/ { proxy_pass http://unix:%1$s:/remote/; }
                        location /plain/ { proxy_pass http://unix:%1$s; }
                        location /group/ {
                            proxy_pass http://socks/;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            add_header X-Up "$upstream_addr $upstream_status";
                        }
                        client_max_body_size 2m;
                        location /missing/ { proxy_pass http://unix:%2$s:/; }
                    """.formatted(sock, missing))).start();
            ProxyConfs.awaitProxying(port, "/plain/");

            HttpResponse direct = RawHttp.get(port, "/direct/a?x=1");
            assertThat(direct.status()).isEqualTo(200);
            // the URI part after the socket path replaces the location prefix; Host is nginx's "localhost"
            assertThat(direct.bodyText()).startsWith("u1 GET /remote/a?x=1 HTTP/1.0\n").contains("\nhost: localhost\n");
            assertThat(RawHttp.get(port, "/plain/z").bodyText()).startsWith("u1 GET /plain/z HTTP/1.0\n");

            int before = b.connections();
            for (int i = 0; i < 5; i++) {
                HttpResponse g = RawHttp.get(port, "/group/k" + i);
                assertThat(g.bodyText()).startsWith("u1 GET /k" + i + " HTTP/1.1\n");
                assertThat(g.header("X-Up")).hasValue("unix:" + sock + " 200");
            }
            // keepalive works over the Unix socket too: one connection serves the five requests
            assertThat(b.connections() - before).isEqualTo(1);

            // a 1 MiB upload and download stream over the socket
            byte[] body = new byte[1 << 20];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) i;
            }
            HttpResponse sha;
            try (RawHttp c = RawHttp.connect(port)) {
                sha = c.send(RawHttp.request("POST", "/group/sha", "Content-Length: " + body.length,
                        "Connection: close")).send(body).read();
            }
            assertThat(sha.bodyText()).isEqualTo(body.length + " " + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body)));
            assertThat(RawHttp.get(port, "/group/big/1048576").body()).hasSize(1 << 20);

            HttpResponse gone = RawHttp.get(port, "/missing/x");
            assertThat(gone.status()).isEqualTo(502);
            // the line is written before the 502 goes out
            assertThat(p.prefix().errorLogText())
                    .contains("connect() failed (2: No such file or directory) while connecting to upstream")
                    .contains("upstream: \"http://unix:" + missing + ":/x\"");
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }
}
