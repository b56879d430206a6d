/**
 * nginx's upstream module at run time: peers with passive health ({@code max_fails}/{@code fail_timeout},
 * {@code backup}, {@code down}, {@code max_conns}), the balancing methods (smooth weighted round-robin,
 * {@code least_conn}, {@code ip_hash}, {@code hash [consistent]}, {@code random [two]}) and the per-event-loop
 * keep-alive pool of backend connections. Balancers depend on the JDK only so they are tested as pure functions of
 * their inputs and a clock; the pool depends on Netty's {@code Channel}, and a connection's timeouts on
 * {@link dev.pier.http.LoopTimer}.
 */
package dev.pier.http.proxy.upstream;
