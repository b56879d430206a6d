package dev.pier.it;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code listen unix:/path} through the real {@code bin/pier}, with two workers and with {@code master_process off}:
 * the master binds the socket, the workers adopt it (watched exclusively, rotated between the workers as a shared
 * TCP socket is) and answer on it; both workers take connections, every one is answered, and a reload's workers
 * take the socket over.
 */
@org.junit.jupiter.api.Timeout(60) // a socket nobody accepts from blocks the read: fail instead of hanging the build
class UnixListenIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(strings = {"on", "off"})
    void servesOnAUnixSocket(String masterProcess) throws Exception {
        Path dir = Files.createTempDirectory("pier-listen-unix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = dir.resolve("pier.sock");
        int port = Ports.free(); // start() waits for the TCP listener; the Unix one is bound with it
        int workers = masterProcess.equals("on") ? 2 : 1;
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes %d;
                master_process %s;
                error_log logs/error.log info;
                events { worker_connections 256; }
                http {
                    access_log off;
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    server {
                        listen 127.0.0.1:%d;
                        listen unix:%s;
                        location / {
                            return 200 "$server_addr [$server_port] $remote_addr [$binary_remote_addr] $pid\\n";
                        }
                        location = /away { return 302 /there; }
                        location = /limited { limit_req zone=one; try_files /nothing =204; }
                    }
                }
                """.formatted(workers, masterProcess, port, sock)).start();

        Map<String, Integer> byWorker = new TreeMap<>();
        Await.until(Duration.ofSeconds(20), () -> "workers answering on the socket: " + byWorker, () -> {
            try {
                count(byWorker, sock);
            } catch (IOException e) {
                return false; // the master opens its sockets one by one: the TCP one may be listening first
            }
            return byWorker.size() == workers;
        });
        int total = 300;
        byWorker.clear();
        for (int i = 0; i < total; i++) {
            count(byWorker, sock);
        }
        assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        assertThat(byWorker).as("connections per worker").hasSize(workers);
        assertThat(RawHttp.get(port, "/").status()).as("the TCP listener beside it").isEqualTo(200);
        assertThat(get(sock, "/away")).as("a redirect names no port for a Unix socket, as nginx's")
                .startsWith("HTTP/1.1 302 ").contains("\r\nLocation: http://localhost/there\r\n");

        // limit_req keyed on $binary_remote_addr: every Unix-socket client is one client ("unix:"), as in nginx, in
        // whichever worker it lands; a TCP client from 127.0.0.1 is another
        assertThat(get(sock, "/limited")).as("the first request in a minute").startsWith("HTTP/1.1 204 ");
        assertThat(get(sock, "/limited")).as("the second, from another Unix-socket connection")
                .startsWith("HTTP/1.1 503 ");
        assertThat(RawHttp.get(port, "/limited").status()).as("a TCP client has a key of its own").isEqualTo(204);

        if (masterProcess.equals("on")) {
            // a reload's new workers adopt the same socket, the old ones let go of it
            java.util.Set<String> old = java.util.Set.copyOf(byWorker.keySet());
            p.signal("HUP");
            Await.until(Duration.ofSeconds(20), () -> "old workers " + old + " gone, have " + p.workerPids(),
                    () -> p.workerPids().stream().map(String::valueOf).noneMatch(old::contains)
                            && p.workerPids().size() == workers);
            byWorker.clear();
            for (int i = 0; i < 100; i++) {
                count(byWorker, sock);
            }
            assertThat(byWorker.keySet()).as("after the reload").doesNotContainAnyElementsOf(old)
                    .isSubsetOf(p.workerPids().stream().map(String::valueOf).toList());
        }
    }

    private static void count(Map<String, Integer> byWorker, Path sock) throws IOException {
        String response = get(sock, "/");
        // nginx's values on a Unix socket: the socket's name, no port, "unix:" for the client (its binary form too)
        Pattern body = Pattern.compile(Pattern.quote("unix:" + sock) + " \\[\\] unix: \\[unix:\\] (\\d+)\n$");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        Matcher m = body.matcher(response);
        assertThat(m.find()).as("body of %s", response).isTrue();
        byWorker.merge(m.group(1), 1, Integer::sum);
    }

    /** One {@code GET path} with {@code Connection: close} on the socket: the whole response, as text. */
    private static String get(Path sock, String path) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (c.read(b) >= 0) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
