package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crafted request targets that try to leave the document root or an alias, against the real server. None may return
 * the secret's bytes; each gets the status nginx gives it: 400 when the decoded URI climbs above '/'
 * ({@code ngx_http_parse_complex_uri} decodes {@code %2e} and {@code %2f} before resolving dot segments), 404 for names
 * that merely look dangerous ({@code \}, {@code %5c}, double encoding and overlong UTF-8 are ordinary bytes on
 * Unix), 400 for {@code %00}. The one place Pier is stricter than nginx: an alias whose location lacks the trailing
 * slash ({@code location /i { alias /w/; }}) lets nginx serve {@code /i../secret} from {@code /w/../secret}; Pier
 * answers 404.
 * <pre>
 * PREFIX/secret.txt        the secret, next to html/ and w/ (and secret.txt.gz for gzip_static)
 * PREFIX/html/pub.txt      served by root
 * PREFIX/w/file.txt        served through the aliases
 * </pre>
 */
class TraversalIT {
    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private record Case(String target, int status) {
    }

    private static String conf(int port, Path w) {
        return """
                worker_processes 1;
                error_log logs/error.log info;
                events { worker_connections 1024; }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        location / { }
                        location /i { alias %s/; autoindex on; }
                        location /j/ { alias %s/; autoindex on; }
                        location ~ ^/r(.*)$ { alias %s/$1; }
                        location /g { alias %s/; gzip_static on; }
                    }
                }
                """.formatted(port, w, w, w, w);
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // dot segments above the root, plain and encoded: 400
        for (String t : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2e/secret.txt", "/%2e%2E/secret.txt",
                "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt",
                "/%2e./secret.txt", "/pub.txt/../../secret.txt", "/./../secret.txt", "//../secret.txt",
                "/..", "/%2e%2e", "/../../../../../../etc/passwd", "/pub.txt%2f..%2f..%2fsecret.txt",
                "/x/..%2f..%2fsecret.txt", "/j/../../secret.txt", "/r/../../secret.txt", "/i/%2e%2e/%2e%2e/secret.txt",
                "/..?x=1", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd")) {
            c.add(new Case(t, 400));
        }
        // NUL, raw or encoded, anywhere in the path: 400
        for (String t : List.of("/secret.txt%00.html", "/..%00/secret.txt", "/%00", "/pub.txt\0")) {
            c.add(new Case(t, 400));
        }
        // not origin-form or absolute-form: 400
        for (String t : List.of("secret.txt", "..%2fsecret.txt", "../secret.txt", "*")) {
            c.add(new Case(t, 400));
        }
        // absolute-form targets go through the same decoding
        c.add(new Case("http://localhost/../secret.txt", 400));
        c.add(new Case("http://localhost/%2e%2e/secret.txt", 400));
        c.add(new Case("http://localhost/%2e%2e%2fsecret.txt", 400));
        // names that only look like traversal: ordinary file names, not found
        for (String t : List.of("/..\\secret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt", "/\\..\\secret.txt",
                "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/%c0%ae%c0%ae/secret.txt",
                "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/..%c0%afsecret.txt",
                "/secret.txt", "/secret.txt.", "/...", "/.../secret.txt", "/..;/secret.txt", "/%2e%2e;/secret.txt",
                "/pub.txt/", "/pub.txt%2f", "/%ff%fe/../secret.txt")) {
            c.add(new Case(t, 404));
        }
        // dot segments that stay inside resolve to other URIs under the root
        for (String t : List.of("/i/../secret.txt", "/j/../secret.txt", "/j/%2e%2e/secret.txt",
                "/r/../secret.txt", "/x/../secret.txt", "/i%2f..%2fsecret.txt")) {
            c.add(new Case(t, 404));
        }
        // the alias off-by-slash (location /i without '/', alias with it): nginx reads w/../secret.txt, Pier refuses
        for (String t : List.of("/i../secret.txt", "/i..%2fsecret.txt", "/i%2e%2e/secret.txt", "/i.%2e/secret.txt",
                "/i..", "/i../", "/i../w/../secret.txt", "/r../secret.txt", "/r..", "/r%2e%2e%2fsecret.txt",
                "/g../secret.txt")) {
            c.add(new Case(t, 404));
        }
        // sanity: the legitimate ways in still work
        for (String t : List.of("/pub.txt", "/./pub.txt", "//pub.txt", "/x/../pub.txt", "/%70ub.txt",
                "/i/file.txt", "/ifile.txt", "/j/file.txt", "/j/./file.txt", "/r/file.txt", "/j/x/../file.txt",
                "http://localhost/pub.txt", "http://localhost/j/%2e/file.txt")) {
            c.add(new Case(t, 200));
        }
        return c;
    }

    @Test
    void noTargetReadsOutsideRootOrAlias() throws IOException {
        int port = Ports.free();
        PierInstance server = pier.newInstance();
        Path dir = server.prefix().dir();
        Path w = dir.resolve("w");
        server.writeConf(conf(port, w));
        String secret = "TOP-SECRET-" + UUID.randomUUID();
        Files.writeString(dir.resolve("secret.txt"), secret);
        Files.writeString(dir.resolve("secret.txt.gz"), secret); // gzip_static sends it as it is
        Files.writeString(dir.resolve("html/pub.txt"), "public\n");
        Files.createDirectories(w);
        Files.writeString(w.resolve("file.txt"), "aliased\n");
        server.start();

        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        SoftAssertions soft = new SoftAssertions();
        for (Case c : cases) {
            HttpResponse r = get(port, c.target());
            HttpResponse gz = get(port, c.target(), "Accept-Encoding: gzip");
            soft.assertThat(new String(gz.body(), StandardCharsets.ISO_8859_1)).as("gzip body of %s", c.target())
                    .doesNotContain(secret);
            String body = new String(r.body(), StandardCharsets.ISO_8859_1);
            soft.assertThat(body).as("body of %s", c.target()).doesNotContain(secret).doesNotContain("secret.txt");
            soft.assertThat(r.status()).as("status of %s: %s", c.target(), r).isEqualTo(c.status());
        }
        soft.assertAll();
        assertThat(server.prefix().errorLogText()).doesNotContain("[crit]").doesNotContain("[alert]");
    }

    /** One request on a fresh connection, the target sent byte for byte (ISO-8859-1). */
    private static HttpResponse get(int port, String target, String... headers) {
        List<String> lines = new ArrayList<>(List.of(headers));
        lines.add("Connection: close");
        try (RawHttp c = RawHttp.connect(port)) {
            return c.send(RawHttp.request("GET", target, lines.toArray(String[]::new))).read();
        }
    }
}
