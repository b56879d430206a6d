package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A directory of 50,000 files listed by a worker whose heap is capped at 40 MiB: the listing streams in chunks
 * (the page is never built whole), arrives complete and in nginx's order, and the worker serves on afterwards.
 * <pre>
 * html/big/f000000 … f049999   empty files
 * </pre>
 */
class AutoindexIT {
    private static final int FILES = 50_000;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void hugeDirectoryStreamsCompletelyWithASmallHeap() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 1024; }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        root html;
                        location /big/ { autoindex on; }
                    }
                }
                """.formatted(port)).env("PIER_WORKER_OPTS", "-Xmx40m");
        Path big = Files.createDirectories(p.prefix().html().resolve("big"));
        for (int i = 0; i < FILES; i++) {
            Files.createFile(big.resolve(String.format("f%06d", i)));
        }
        p.start();
        p.awaitWorkers(1, Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(30), "serving", () -> PierInstance.accepts(port));
        try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(60), 0)) {
            HttpResponse r = c.send(RawHttp.request("GET", "/big/")).read();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).contains("chunked");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            int from = 0;
            for (int i = 0; i < FILES; i++) {
                String href = "<a href=\"" + String.format("f%06d", i) + "\">";
                int at = body.indexOf(href, from);
                assertThat(at).as("entry %d in order", i).isGreaterThanOrEqualTo(0);
                from = at + href.length();
            }
            assertThat(body).endsWith("</pre><hr></body>\r\n</html>\r\n");
            // the same connection goes on: the stream ended cleanly
            assertThat(c.send(RawHttp.request("GET", "/index.html")).read().status()).isEqualTo(200);
        }
        assertThat(Files.readString(p.prefix().logs().resolve("error.log"))).doesNotContain("OutOfMemoryError");
        assertThat(p.workers()).hasSize(1);
    }
}
