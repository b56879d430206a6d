package dev.pier.http.proxy;

/** What {@code $proxy_host} and {@code $proxy_port} say for a location's {@code proxy_pass}. */
record ProxyTarget(String hostHeader, int port) {
}
