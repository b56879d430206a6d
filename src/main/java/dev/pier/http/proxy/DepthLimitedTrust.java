package dev.pier.http.proxy;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The JDK's PKIX trust manager plus {@code proxy_ssl_verify_depth}: a server chain with more than {@code depth}
 * certificates above the server's own is refused, as OpenSSL's verify depth does for nginx (Pier counts the chain
 * the server sends, so a server that also sends its root needs one more).
 */
final class DepthLimitedTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final int depth;

    DepthLimitedTrust(X509ExtendedTrustManager pkix, int depth) {
        this.pkix = pkix;
        this.depth = depth;
    }

    private void checkDepth(X509Certificate[] chain) throws CertificateException {
        if (chain.length - 1 > depth) {
            throw new CertificateException("certificate chain too long (" + chain.length + " certificates, "
                    + "proxy_ssl_verify_depth " + depth + ")");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
