package dev.pier.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of one client connection, socket side first:
 * <ol>
 *   <li>{@code decoder}: each request head checked with nginx's rules and limits ({@code
 *   large_client_header_buffers}, {@code ignore_invalid_headers}, {@code underscores_in_headers}, request
 *   smuggling), bodies framed by Netty's HTTP/1.x request decoder, request boundaries reported to the connection
 *   state;</li>
 *   <li>{@code encoder}: Netty's response encoder (passes {@code FileRegion}s through for sendfile, and a whole
 *   response Pier encoded itself: {@link ResponseEncoder}); everything written passes its {@link SendTimeout}, which
 *   closes the connection when the client accepts nothing for {@code send_timeout};</li>
 *   <li>{@code dispatcher}: validation and server selection ({@link RequestStart}), location selection and the phases
 *   ({@link Phases}), keep-alive and pipelining (responses in request order, {@code keepalive_requests},
 *   {@code keepalive_timeout}).</li>
 * </ol>
 * A connection over {@code worker_connections} is closed at once. A worker's listeners build it with
 * {@link HttpAcceptor} once the connection is registered; this initializer builds the same pipeline on the
 * channels of an embedded channel or a test's bootstrap.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {
    private final HttpRuntime runtime;
    private final ListenerRuntime listener;
    private final Connections connections;

    public HttpServerInitializer(HttpRuntime runtime, int listenerIndex, Connections connections) {
        this.runtime = runtime;
        this.listener = runtime.listener(listenerIndex);
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!connections.reserve()) {
            ch.close(); // over worker_connections: nothing more is spent on it
            return;
        }
        assemble(ch, runtime, listener, connections);
    }

    /**
     * Gives {@code ch}, registered on its event loop and with its place among the worker's connections
     * {@link Connections#reserve}d, the connections' allocator ({@link LoopAllocator}) and its handlers; the
     * dispatcher starts the connection's clock when it is added. The place is given back if this throws; once it
     * returns, the connection's close gives it back.
     */
    static void assemble(Channel ch, HttpRuntime runtime, ListenerRuntime listener, Connections connections) {
        HttpConnection conn;
        try {
            conn = new HttpConnection(ch, ch.eventLoop(), runtime, listener, connections);
            ch.config().setAllocator(LoopAllocator.forConnections());
            ch.pipeline()
                    .addLast("decoder", new PierRequestDecoder(conn, PierRequestDecoder.config(conn.limits()),
                            conn.limits()))
                    .addLast("encoder", new ResponseEncoder(new SendTimeout(conn)))
                    .addLast("dispatcher", new HttpRequestDispatcher(conn));
        } catch (RuntimeException | Error e) {
            connections.unreserve();
            throw e;
        }
        connections.add(conn);
    }
}
