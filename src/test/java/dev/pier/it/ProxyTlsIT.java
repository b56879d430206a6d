package dev.pier.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy_pass https://}: a TLS backend whose self-signed certificate (made by {@code keytool}, for
 * {@code backend.test} and 127.0.0.1) is trusted with {@code proxy_ssl_verify on} and the right
 * {@code proxy_ssl_trusted_certificate} (200), refused with another one or another name (502 and nginx's
 * {@code [error]} line), accepted unverified by default; SNI only with {@code proxy_ssl_server_name on}; kept-alive
 * TLS connections are reused.
 */
class ProxyTlsIT {
    private static final String PASS = "changeit";

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    private static void keytool(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** A PKCS#12 key store with one self-signed EC key for backend.test / 127.0.0.1, and its certificate as PEM. */
    private static void makeCert(Path dir, String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "b", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=backend.test", "-ext", "SAN=dns:backend.test,ip:127.0.0.1", "-validity", "2", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS);
        Path pem = dir.resolve(name + ".pem");
        keytool("-exportcert", "-rfc", "-alias", "b", "-keystore", ks.toString(), "-storepass", PASS, "-file",
                pem.toString());
        Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-r--r--")); // workers run as nobody
    }

    private static SSLContext serverContext(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASS.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS.toCharArray());
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    @Test
    void verifiedUnverifiedAndRefusedBackends() throws Exception {
        PierInstance p = pier.newInstance();
        Path conf = p.prefix().conf();
        makeCert(conf, "good");
        makeCert(conf, "wrong");
        try (ScriptedBackend b = new ScriptedBackend(serverContext(conf.resolve("good.p12")),
                (line, headers, in, out) -> {
                    byte[] body = ("tls " + line.split(" ")[1] + " sni=" + headers.get(":sni") + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    ScriptedBackend.head(out, "200 OK", "Content-Length: " + body.length);
                    out.write(body);
                    out.flush();
                    return true;
                })) {
            int port = Ports.free();
            int bp = b.port();
            p.writeConf(ProxyConfs.conf(1, port, """
                        upstream pooled {
                            server 127.0.0.1:%d;
                            keepalive 4;
                        }
                    """.formatted(bp), """
                        location /good/ {
                            proxy_pass https://127.0.0.1:%1$d;
                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate good.pem;
                            proxy_ssl_name backend.test;
                            proxy_ssl_server_name on;
                        }
                        location /ip/ {
                            proxy_pass https://127.0.0.1:%1$d;
                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate good.pem;
                        }
                        location /wrong/ {
                            proxy_pass https://127.0.0.1:%1$d;
                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate wrong.pem;
                        }
                        location /othername/ {
                            proxy_pass https://127.0.0.1:%1$d;
                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate good.pem;
                            proxy_ssl_name other.test;
                        }
                        location /plain/ {
                            proxy_pass https://127.0.0.1:%1$d;
                            proxy_ssl_name other.test;
                        }
                        location /pooled/ {
                            proxy_pass https://pooled;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    """.formatted(bp))).start();
            ProxyConfs.awaitProxying(port, "/plain/x");

            HttpResponse good = RawHttp.get(port, "/good/a");
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.bodyText()).isEqualTo("tls /good/a sni=[backend.test]\n");
            HttpResponse ip = RawHttp.get(port, "/ip/a");
            assertThat(ip.status()).as("the certificate names 127.0.0.1 too").isEqualTo(200);
            assertThat(ip.bodyText()).as("no SNI for an address, nor by default").endsWith("sni=[]\n");
            // unverified by default: neither the chain nor the name (other.test) is checked; no SNI by default
            assertThat(RawHttp.get(port, "/plain/a").bodyText()).isEqualTo("tls /plain/a sni=[]\n");

            assertThat(RawHttp.get(port, "/wrong/a").status()).isEqualTo(502);
            assertThat(RawHttp.get(port, "/othername/a").status()).isEqualTo(502);
            String log = p.prefix().errorLogText();
            assertThat(log).containsPattern("\\[error\\] .*upstream SSL certificate verify error: \\(.*\\) while SSL "
                    + "handshaking to upstream, client: 127\\.0\\.0\\.1, .*request: \"GET /wrong/a HTTP/1\\.1\", "
                    + "upstream: \"https://127\\.0\\.0\\.1:" + bp + "/wrong/a\"");
            assertThat(log).contains("request: \"GET /othername/a HTTP/1.1\"");

            int before = b.connections();
            for (int i = 0; i < 3; i++) {
                HttpResponse r = RawHttp.get(port, "/pooled/" + i);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("tls /pooled/" + i);
            }
            assertThat(b.connections() - before).as("one kept-alive TLS connection").isEqualTo(1);
        }
    }
}
