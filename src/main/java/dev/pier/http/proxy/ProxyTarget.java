package dev.pier.http.proxy;

/**
 * What {@code $proxy_host} and {@code $proxy_port} say for a location's {@code proxy_pass}, whether it is
 * {@code https://}, and its bare host (the default {@code proxy_ssl_name}).
 */
record ProxyTarget(String hostHeader, int port, boolean ssl, String host) {
}
