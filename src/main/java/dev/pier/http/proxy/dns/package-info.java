/**
 * A small asynchronous DNS client for {@code resolver} ({@code proxy_pass} with variables): the query/answer codec
 * ({@link dev.pier.http.proxy.dns.DnsMessage}, bytes only) and the UDP lookup on the caller's event loop with a
 * TTL cache ({@link dev.pier.http.proxy.dns.DnsResolver}). Depends on Netty and the JDK only.
 */
package dev.pier.http.proxy.dns;
