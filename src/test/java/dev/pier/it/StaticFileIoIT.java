package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The file directives against the real server (one worker, serving as {@code nobody} when the test runs as root):
 * {@code disable_symlinks}, EACCES and ENOENT, {@code charset}, {@code sendfile off}, {@code open_file_cache}.
 * <pre>
 * html/a.txt                 "hello\n"
 * html/link.txt -> a.txt     served under /, 403 under /strict/
 * html/strict/ -> html       (a linked directory: /strict/a.txt is refused too)
 * html/private.txt           mode 0600, owned by the test's user
 * html/big.bin               1 MiB
 * html/cached.txt            rewritten during the test
 * </pre>
 */
class StaticFileIoIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static String conf(int port) {
        return """
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 1024; }
                http {
                    include mime.types;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        charset utf-8;
                        location / { }
                        location /strict/ { disable_symlinks on; }
                        location /owner/ { disable_symlinks if_not_owner; }
                        location /plain/ { sendfile off; charset off; alias html/; }
                        location /cache/ {
                            alias html/;
                            open_file_cache max=100 inactive=60s;
                            open_file_cache_valid 1s;
                            open_file_cache_errors on;
                            tcp_nopush on;
                        }
                        location = /text { return 200 "text"; }
                        location /slow/ { alias html/; limit_rate 100k; limit_rate_after 10k; }
                    }
                }
                """.formatted(port);
    }

    @Test
    void symlinksPermissionsCharsetSendfileAndTheCache() throws Exception {
        int port = Ports.free();
        PierInstance server = pier.newInstance().writeConf(conf(port));
        Path html = server.prefix().html();
        Files.writeString(html.resolve("a.txt"), "hello\n");
        Files.createSymbolicLink(html.resolve("link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(html.resolve("strict"), Path.of("."));
        Files.createSymbolicLink(html.resolve("owner"), Path.of("."));
        Path priv = Files.writeString(html.resolve("private.txt"), "private");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        boolean root = "root".equals(System.getProperty("user.name"));
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i ^ i >>> 9);
        }
        Files.write(html.resolve("big.bin"), big);
        Path cached = Files.writeString(html.resolve("cached.txt"), "version 1");
        server.start();

        // disable_symlinks: off follows, on refuses any linked component with 403 and an [error] line
        assertThat(RawHttp.get(port, "/link.txt").bodyText()).isEqualTo("hello\n");
        HttpResponse strict = RawHttp.get(port, "/strict/a.txt");
        assertThat(strict.status()).as(strict.toString()).isEqualTo(403);
        assertThat(RawHttp.get(port, "/strict/missing.txt").status()).isIn(403, 404);
        // if_not_owner: html/owner -> . has the owner of its target: followed
        assertThat(RawHttp.get(port, "/owner/a.txt").status()).isEqualTo(200);
        Await.until(java.time.Duration.ofSeconds(5), "the refused link's [error] line",
                () -> server.prefix().errorLogText().contains("(40: Too many levels of symbolic links)"));

        // ENOENT → 404, EACCES (the worker is nobody, the file root's 0600) → 403
        assertThat(RawHttp.get(port, "/nothing.txt").status()).isEqualTo(404);
        if (root) {
            assertThat(RawHttp.get(port, "/private.txt").status()).isEqualTo(403);
        }

        // charset on static text, return text and error pages; not on binary types; off where turned off
        assertThat(RawHttp.get(port, "/a.txt").header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(RawHttp.get(port, "/text").header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(RawHttp.get(port, "/nothing.txt").header("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(RawHttp.get(port, "/big.bin").header("Content-Type")).contains("application/octet-stream");
        assertThat(RawHttp.get(port, "/plain/a.txt").header("Content-Type")).contains("text/plain");

        // sendfile off: the same bytes, read through buffers, twice on one connection
        try (RawHttp c = RawHttp.connect(port)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse r = c.send(RawHttp.request("GET", "/plain/big.bin")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(big);
            }
            HttpResponse range = c.send(RawHttp.request("GET", "/plain/big.bin", "Range: bytes=1000-1009")).read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 1010));
        }

        // open_file_cache: a rewritten file is served afresh once open_file_cache_valid (1s) has passed
        assertThat(RawHttp.get(port, "/cache/cached.txt").bodyText()).isEqualTo("version 1");
        Path tmp = Files.writeString(html.resolve("cached.tmp"), "version 2, longer");
        Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(1100);
        assertThat(RawHttp.get(port, "/cache/cached.txt").bodyText()).isEqualTo("version 2, longer");
        // errors are cached too: a file created after a miss shows up after valid
        Path later = html.resolve("later.txt");
        assertThat(RawHttp.get(port, "/cache/later.txt").status()).isEqualTo(404);
        Files.writeString(later, "now");
        Thread.sleep(1100);
        HttpResponse now = RawHttp.get(port, "/cache/later.txt");
        assertThat(now.status()).as(now.toString()).isEqualTo(200);
        assertThat(now.bodyText()).isEqualTo("now");
        // many requests over the cached descriptor on one connection, zero-copy and corked: all complete
        try (RawHttp c = RawHttp.connect(port)) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.send(RawHttp.request("GET", "/cache/big.bin")).read().body()).isEqualTo(big);
            }
        }
        // limit_rate 100k after 10k: 1 MiB cannot arrive before (1 MiB - 10k) / 100k - 1 ≈ 9 s; read 300 KiB of it
        try (RawHttp c = RawHttp.connect(port)) {
            long t0 = System.nanoTime();
            RawHttp.Streamed s = c.send(RawHttp.request("GET", "/slow/big.bin", "Connection: close")).readStreamed();
            assertThat(s.head().status()).isEqualTo(200);
            byte[] first = s.body().readNBytes(300 * 1024);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(big, 300 * 1024));
            assertThat(elapsedMs).as("300 KiB at 100 KiB/s after 10 KiB and the first second").isGreaterThan(1500);
        }
        assertThat(server.prefix().errorLogText()).doesNotContain("[crit]").doesNotContain("[alert]");
        // tcp_nopush's uncork after a response that closed its connection (RawHttp.get says Connection: close) is
        // skipped, not a failed task on a closed channel that Netty reports on the worker's stderr
        assertThat(server.masterStderr()).doesNotContain("raised an exception").doesNotContain("ChannelException");
    }
}
