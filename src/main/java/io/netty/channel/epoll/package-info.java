/**
 * Netty's epoll transport package, to which Pier adds only its accepted connections' channel
 * ({@link io.netty.channel.epoll.PierServerSocketChannel}, {@link io.netty.channel.epoll.PierSocketChannel}, its
 * config and its read sizes): the channel and socket constructors they extend are package-private here. Nothing else
 * of Pier's belongs in this package, and these classes depend on Netty and the JDK only; {@code dev.pier.worker}
 * adopts listening sockets as {@code PierServerSocketChannel}.
 */
package io.netty.channel.epoll;
