package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TLS to {@code https://} backends, per location after merging (the {@code proxy_ssl_*} fields of
 * {@code ngx_http_proxy_loc_conf_t}).
 *
 * @param serverName         {@code proxy_ssl_server_name}: send SNI (off by default, as nginx)
 * @param name               {@code proxy_ssl_name}: the name to verify and send as SNI; empty = the host of the
 *                           {@code proxy_pass} URL ({@code $proxy_host} without its port)
 * @param verify             {@code proxy_ssl_verify} (off by default)
 * @param trustedCertificate {@code proxy_ssl_trusted_certificate}, PEM certificates; empty = none (then every
 *                           verification fails, as nginx with no CA file)
 * @param verifyDepth        {@code proxy_ssl_verify_depth}, default 1
 * @param protocols          {@code proxy_ssl_protocols}, nginx's names; default {@code TLSv1.2 TLSv1.3}
 * @param sessionReuse       {@code proxy_ssl_session_reuse} (on by default)
 */
public record ProxySslConf(boolean serverName, Optional<String> name, boolean verify,
                           Optional<Path> trustedCertificate, int verifyDepth, Set<String> protocols,
                           boolean sessionReuse) {
    public static final Set<String> KNOWN_PROTOCOLS = Set.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2",
            "TLSv1.3");
    public static final ProxySslConf DEFAULT = new ProxySslConf(false, Optional.empty(), false, Optional.empty(), 1,
            Set.of("TLSv1.2", "TLSv1.3"), true);

    public ProxySslConf {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        protocols = Set.copyOf(protocols);
        if (verifyDepth < 0) {
            throw new IllegalArgumentException("negative verify depth");
        }
    }
}
