/**
 * nginx's {@code ngx_http_proxy_module}: {@code proxy_pass} to a host or an {@code upstream} group, request and
 * response header rules, body streaming with back-pressure in both directions, retries per
 * {@code proxy_next_upstream}, keep-alive to backends, WebSocket passthrough. Backends are connected on the client
 * connection's event loop with auto-read off; the next chunk is read only after the previous one was written (Netty's
 * HexDumpProxy shape), so no event loop ever blocks and no body is held whole. Configuration comes bound and merged
 * from {@code ProxyConfModule} / {@code UpstreamConfModule} ({@code loc.modules().get(ProxyConf.class)}); the
 * module's variables ({@code $upstream_*}, {@code $proxy_*}) are served by {@link dev.pier.http.proxy.ProxyVariables}. Depends on {@code dev.pier.http}
 * (its SPI: {@code HttpModule}, {@code Exchange}, {@code ExchangeListener}), {@code dev.pier.config.bind} records and
 * Netty.
 */
package dev.pier.http.proxy;
