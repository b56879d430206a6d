package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.ProxySslConf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * TLS to an {@code https://} backend for one location ({@code ngx_http_proxy_set_ssl}): a client context on the JDK
 * provider built once per generation from {@link ProxySslConf}, and one {@link SslHandler} per connection.
 * With {@code proxy_ssl_verify on} the chain must lead to a {@code proxy_ssl_trusted_certificate} within
 * {@code proxy_ssl_verify_depth} and the certificate must name {@code proxy_ssl_name} (the JDK's endpoint
 * identification, as nginx's {@code ngx_ssl_check_host}); off, anything is accepted. SNI is sent only with
 * {@code proxy_ssl_server_name on} and never for an IP address (RFC 6066 §3), as nginx. Sessions are resumed per
 * name and port unless {@code proxy_ssl_session_reuse off}.
 */
final class UpstreamTls {
    private final ProxySslConf conf;
    private final SslContext context;

    UpstreamTls(ProxySslConf conf, Source source) throws ConfigException {
        this.conf = conf;
        try {
            // the JDK has no SSLv2 (its "SSLv2Hello" is only a hello format): that name enables nothing
            List<String> protocols = conf.protocols().stream().filter(p -> !p.equals("SSLv2")).sorted().toList();
            if (protocols.isEmpty()) {
                throw new ConfigException("no protocol of \"proxy_ssl_protocols\" is available", source);
            }
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(protocols);
            // Netty's client contexts check the name by default: only with proxy_ssl_verify on, as nginx
            b.endpointIdentificationAlgorithm(conf.verify() ? "HTTPS" : null);
            if (conf.verify()) {
                b.trustManager(new DepthLimitedTrust(trust(conf), conf.verifyDepth()));
            } else {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            this.context = b.build();
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException("cannot set up TLS to upstream: " + e.getMessage(), source);
        }
    }

    /** The trusted certificates (none without {@code proxy_ssl_trusted_certificate}: nothing verifies). */
    private static javax.net.ssl.X509ExtendedTrustManager trust(ProxySslConf conf) throws SSLException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            if (conf.trustedCertificate().isPresent()) {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                try (InputStream in = Files.newInputStream(conf.trustedCertificate().get())) {
                    int i = 0;
                    for (var c : cf.generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                }
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            for (var tm : f.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new SSLException("no X.509 trust manager");
        } catch (Exception e) {
            throw new SSLException("cannot load certificate \"" + conf.trustedCertificate().orElse(null) + "\": "
                    + e.getMessage(), e);
        }
    }

    /** The name to verify and send: {@code proxy_ssl_name}, else the URL's host. */
    String name(String urlHost) {
        return conf.name().orElse(urlHost);
    }

    /** What a kept-alive connection made with this must match to be reused: TLS settings and name. */
    Object poolKey(String name) {
        return List.of(this, name);
    }

    /** A handler for one connection to {@code port} verifying and (maybe) announcing {@code name}. */
    SslHandler newHandler(ByteBufAllocator alloc, String name, int port) {
        SSLEngine engine = context.newEngine(alloc, name, port);
        SSLParameters p = engine.getSSLParameters();
        if (conf.verify()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        boolean literal = isIpLiteral(name);
        p.setServerNames(conf.serverName() && !literal ? List.of(new SNIHostName(name)) : List.of());
        engine.setSSLParameters(p);
        SslHandler h = new SslHandler(engine);
        if (!conf.sessionReuse()) {
            // the JDK resumes by name and port; a session never offered again is never resumed
            h.handshakeFuture().addListener(f -> engine.getSession().invalidate());
        }
        return h;
    }

    static boolean isIpLiteral(String name) {
        if (name.indexOf(':') >= 0 || name.startsWith("[")) {
            return true;
        }
        return name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * nginx's line for a failed handshake: {@code upstream SSL certificate verify error: (...)} when the certificate
     * was refused, else {@code SSL_do_handshake() failed (...)}.
     */
    static String handshakeError(Throwable c) {
        String m = String.valueOf(c.getMessage());
        boolean verify = c instanceof javax.net.ssl.SSLHandshakeException
                && (c.getCause() instanceof java.security.cert.CertificateException || m.contains("PKIX")
                || m.contains("certificate"));
        return (verify ? "upstream SSL certificate verify error: (" : "SSL_do_handshake() failed (") + describe(c)
                + ")";
    }

    /** The innermost cause's message. */
    static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
