package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.ProxySslConf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The TLS client settings per connection: SNI only when asked and never for an address, names, log texts. */
class UpstreamTlsTest {
    private static final Source SRC = new Source(Path.of("/test/pier.conf"), 1);

    private static UpstreamTls tls(boolean serverName, boolean verify) throws ConfigException {
        return new UpstreamTls(new ProxySslConf(serverName, Optional.empty(), verify, Optional.empty(), 1,
                Set.of("TLSv1.2", "TLSv1.3"), true), SRC);
    }

    @Test
    void sniIsSentOnlyWhenOnAndNeverForAnAddress() throws Exception {
        SslHandler on = tls(true, false).newHandler(ByteBufAllocator.DEFAULT, "backend.test", 443);
        assertThat(on.engine().getSSLParameters().getServerNames()).containsExactly(new SNIHostName("backend.test"));
        assertThat(on.engine().getPeerHost()).isEqualTo("backend.test");
        SslHandler address = tls(true, false).newHandler(ByteBufAllocator.DEFAULT, "127.0.0.1", 443);
        assertThat(address.engine().getSSLParameters().getServerNames()).isEmpty();
        SslHandler off = tls(false, false).newHandler(ByteBufAllocator.DEFAULT, "backend.test", 443);
        assertThat(off.engine().getSSLParameters().getServerNames()).isEmpty();
        assertThat(off.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        SslHandler verified = tls(false, true).newHandler(ByteBufAllocator.DEFAULT, "backend.test", 443);
        assertThat(verified.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(on.engine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    }

    @Test
    void namesAndPoolKeys() throws Exception {
        UpstreamTls t = tls(false, false);
        assertThat(t.name("backend.test")).isEqualTo("backend.test");
        UpstreamTls named = new UpstreamTls(new ProxySslConf(false, Optional.of("other.test"), false,
                Optional.empty(), 1, Set.of("TLSv1.3"), true), SRC);
        assertThat(named.name("backend.test")).isEqualTo("other.test");
        assertThat(t.poolKey("a")).isEqualTo(t.poolKey("a")).isNotEqualTo(t.poolKey("b"))
                .isNotEqualTo(named.poolKey("a"));
        assertThat(UpstreamTls.isIpLiteral("10.0.0.1")).isTrue();
        assertThat(UpstreamTls.isIpLiteral("[::1]")).isTrue();
        assertThat(UpstreamTls.isIpLiteral("backend.test")).isFalse();
    }

    @Test
    void sslv2AloneEnablesNothing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UpstreamTls(new ProxySslConf(false,
                        Optional.empty(), false, Optional.empty(), 1, Set.of("SSLv2"), true), SRC))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy_ssl_protocols");
    }

    @Test
    void handshakeFailuresReadLikeNginx() {
        SSLHandshakeException verify = new SSLHandshakeException("PKIX path building failed");
        verify.initCause(new CertificateException("unable to find valid certification path"));
        assertThat(UpstreamTls.handshakeError(verify))
                .isEqualTo("upstream SSL certificate verify error: (unable to find valid certification path)");
        assertThat(UpstreamTls.handshakeError(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo("SSL_do_handshake() failed (Received fatal alert: protocol_version)");
    }
}
