/**
 * Netty's epoll transport package, to which Pier adds only its listening channels and its accepted connections'
 * channel ({@link io.netty.channel.epoll.PierServerChannel} with its TCP and Unix kinds, registered exclusively;
 * {@link io.netty.channel.epoll.PierSocketChannel}, its config and its read sizes): the channel and socket constructors and the registration bits they use are package-private here.
 * Nothing else of Pier's belongs in this package, and these classes depend on Netty and the JDK only;
 * {@code dev.pier.worker} adopts listening sockets as these channels.
 */
package io.netty.channel.epoll;
