package dev.pier.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The pipeline of one client connection, top to bottom:
 * <ol>
 *   <li>{@code decoder}: Netty's HTTP/1.x request decoder with nginx's default limits ({@code
 *   large_client_header_buffers 4 8k}: a request line over 8k is 414, headers over 32k are 400), reporting request
 *   boundaries to the connection state;</li>
 *   <li>{@code encoder}: Netty's response encoder (passes {@code FileRegion}s through for sendfile);</li>
 *   <li>{@code dispatcher}: validation, server and location selection, phases, keep-alive and pipelining (responses
 *   in request order, {@code keepalive_requests}, {@code keepalive_timeout}).</li>
 * </ol>
 * A connection over {@code worker_connections} is closed at once.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {
    static final int MAX_REQUEST_LINE = 8192;
    static final int MAX_HEADERS = 4 * 8192;

    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADERS)
            .setMaxChunkSize(16384)
            .setValidateHeaders(true);

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
        HttpConnection conn = new HttpConnection(ch, runtime, listener, connections);
        if (!connections.add(conn)) {
            ch.close();
            return;
        }
        ch.pipeline()
                .addLast("decoder", new PierRequestDecoder(conn, DECODER.clone()))
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("dispatcher", new HttpRequestDispatcher(conn));
        conn.start();
    }
}
