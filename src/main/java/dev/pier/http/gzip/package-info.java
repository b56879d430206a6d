/**
 * nginx's {@code ngx_http_gzip_module} and {@code ngx_http_gzip_static_module}. A header filter
 * ({@link dev.pier.http.gzip.GzipHeaderFilter}) decides per response, as nginx's gzip header filter does, and
 * rewrites the head (Content-Encoding, no Content-Length, weak ETag, Vary); the body is compressed as it streams by
 * outbound handlers this package adds to a connection's pipeline the first time it compresses there
 * ({@link dev.pier.http.gzip.GzipPipeline}). {@code gzip_static} is a content handler that serves {@code FILE.gz}.
 * Depends on {@code dev.pier.http} (its module SPI), {@code dev.pier.http.staticfiles} (the location's file access
 * and conditional file responses), {@code dev.pier.http.charset} (its pipeline handlers come first, as nginx's charset
 * filter runs before gzip), {@code dev.pier.config.bind} records, Netty and {@code java.util.zip}.
 */
package dev.pier.http.gzip;
