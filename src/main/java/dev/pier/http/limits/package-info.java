/**
 * ngx_http_limit_conn_module and ngx_http_limit_req_module: {@code limit_conn} and {@code limit_req} in nginx's
 * preaccess phase, with their zones shared by every worker of a master.
 *
 * <p>nginx keeps a zone in shared memory all workers map. Pier's workers are separate JVMs, so a zone is a file
 * ({@link ZoneFiles}) every worker maps with {@code java.lang.foreign}: a fixed, set-associative hash table
 * ({@link ZoneTable}) whose buckets are guarded by a compare-and-set lock word holding the owner's pid, so a
 * worker that dies holding one cannot wedge the others. The leaky bucket arithmetic ({@link LeakyBucket}) is
 * nginx's, in thousandths of a request.
 *
 * <p>Depends on {@code dev.pier.http} (the module SPI), {@code dev.pier.config.bind} and Netty (a connection's close
 * gives back its {@code limit_conn} counts).
 */
package dev.pier.http.limits;
