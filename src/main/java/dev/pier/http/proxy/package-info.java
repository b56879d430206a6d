/**
 * nginx's {@code ngx_http_proxy_module}: {@code proxy_pass} to a host or an {@code upstream} group over plain TCP,
 * a Unix socket or TLS ({@code https://}, {@link dev.pier.http.proxy.UpstreamTls} on the JDK provider), request and
 * response header rules, body streaming with back-pressure in both directions, retries per
 * {@code proxy_next_upstream}, keep-alive to backends (TLS connections pooled apart, per name), WebSocket
 * passthrough, {@code X-Accel-Redirect} / {@code X-Accel-Buffering}. Backends are connected on the client
 * connection's event loop with auto-read off; the next chunk is read only after the previous one was written
 * (Netty's HexDumpProxy shape), so no body is held whole. The backend connection's codec is Pier's: requests are
 * encoded straight into buffers ({@code RequestHead}, {@code RequestFraming}); responses are read by
 * {@code ResponseDecoder} ({@code ResponseHeadParser} for heads of the common shape, Netty's response decoder for
 * chunked and close-delimited bodies and for every other head).
 *
 * <p>One proxied request is a {@code ProxyRequest} (its state and the events that drive it) and the steps that work
 * on that state, as nginx's {@code ngx_http_upstream_*} functions work on {@code r, u}: {@code UpstreamTries}
 * (connect, classify failures, {@code proxy_next_upstream}), {@code RequestSender} (head and body to the backend),
 * {@code HeaderRelay} (the response head, {@code 101}, {@code X-Accel-Redirect}), {@code BodyRelay} (the response
 * body with back-pressure and spooling) and {@code RequestEnd} (release, keep-alive, client abort).
 *
 * <p>Temp files: a request body ({@code RequestSpool}) or the part of a buffered response a slow client left behind
 * ({@code ResponseSpool}, {@code proxy_max_temp_file_size}) goes to an unlinked temp file. Those files are written
 * and read with plain blocking calls on the event loop, as nginx does, in chunks of at most
 * {@code proxy_temp_file_write_size} (writes) and 64 KiB (reads): each call is a page-cache copy, not a disk flush,
 * so the loop is held for microseconds; no executor is involved.
 *
 * <p>Configuration comes bound and merged from {@code ProxyConfModule} / {@code UpstreamConfModule} /
 * {@code ProxyTempModule} / {@code ProxySslModule} ({@code loc.modules().get(ProxyConf.class)}); the module's
 * variables ({@code $upstream_*}, {@code $proxy_*}) are served by {@link dev.pier.http.proxy.ProxyVariables}.
 * Depends on {@code dev.pier.http} (its SPI: {@code HttpModule}, {@code Exchange}, {@code ExchangeListener}),
 * {@code dev.pier.config.bind} records and Netty.
 */
package dev.pier.http.proxy;
