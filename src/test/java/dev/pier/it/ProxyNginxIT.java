package dev.pier.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * nginx itself as the backend ({@code /usr/sbin/nginx} with {@code daemon off; master_process off;} in a temp
 * prefix on a free port; skipped where nginx is absent): static files (whole, ranges, HEAD) come through Pier
 * byte for byte, and Pier's upstream {@code keepalive} really reuses one nginx connection ({@code $connection}
 * stays, {@code $connection_requests} counts up).
 */
class ProxyNginxIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private Process nginx;
    private Path dir;

    @AfterEach
    void stopNginx() throws Exception {
        if (nginx != null && nginx.isAlive()) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (dir != null) {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private int startNginx(Path dir) throws Exception {
        int port = Ports.free();
        Files.createDirectories(dir.resolve("html"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                error_log %1$s/logs/error.log info;
                pid %1$s/logs/nginx.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    default_type application/octet-stream;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s/html;
                        keepalive_requests 1000;
                        location = /conn { return 200 "$connection $connection_requests\\n"; }
                    }
                }
                """.formatted(dir, port));
        nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf")
                .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout").toFile()).start();
        Await.until(Duration.ofSeconds(15), "nginx listening on " + port, () -> PierInstance.accepts(port));
        return port;
    }

    @Test
    void staticFilesAndKeepaliveThroughPierToNginx() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed");
        dir = Files.createTempDirectory("pier-nginx-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        int nginxPort = startNginx(dir);
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(file);
        Files.write(dir.resolve("html/file.bin"), file);
        Files.writeString(dir.resolve("html/index.html"), "nginx index\n");

        int port = Ports.free();
        pier.newInstance().writeConf(ProxyConfs.conf(1, port, """
                    upstream nginx {
                        server 127.0.0.1:%d;
                        keepalive 4;
                    }
                """.formatted(nginxPort), """
                    location /n/ {
                        proxy_pass http://nginx/;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                """)).start();
        ProxyConfs.awaitProxying(port, "/n/index.html");

        try (RawHttp c = RawHttp.connect(port)) {
            HttpResponse index = c.send(RawHttp.request("GET", "/n/")).read();
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.bodyText()).isEqualTo("nginx index\n");

            RawHttp.Streamed big = c.send(RawHttp.request("GET", "/n/file.bin")).readStreamed();
            assertThat(big.head().status()).isEqualTo(200);
            assertThat(big.head().header("Content-Length")).hasValue(Integer.toString(file.length));
            assertThat(big.head().header("Last-Modified")).isPresent();
            assertThat(sha(big.body(), file.length)).isEqualTo(sha(file));

            HttpResponse range = c.send(RawHttp.request("GET", "/n/file.bin", "Range: bytes=100-109")).read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("Content-Range")).hasValue("bytes 100-109/" + file.length);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(file, 100, 110));

            HttpResponse head = c.send(RawHttp.request("HEAD", "/n/file.bin")).readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).hasValue(Integer.toString(file.length));

            HttpResponse missing = c.send(RawHttp.request("GET", "/n/nothing")).read();
            assertThat(missing.status()).isEqualTo(404);
        }
        String first = RawHttp.get(port, "/n/conn").bodyText().strip();
        String second = RawHttp.get(port, "/n/conn").bodyText().strip();
        String[] a = first.split(" ");
        String[] b = second.split(" ");
        assertThat(b[0]).as("the same nginx connection (" + first + " then " + second + ")").isEqualTo(a[0]);
        assertThat(Integer.parseInt(b[1])).isEqualTo(Integer.parseInt(a[1]) + 1);
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String sha(InputStream in, long n) throws Exception {
        return ProxySpoolIT.sha(in, n);
    }
}
