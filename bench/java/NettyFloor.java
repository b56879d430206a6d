import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The least a Netty server on this JVM can do per request: one epoll event loop, one shared handler per connection
 * and no HTTP parsing at all. Every {@code \r\n\r\n} in the bytes read counts as a request and gets the same response
 * bytes, of the length and shape of Pier's {@code return 200 "hello\n"} (a fixed {@code Date}); a request whose bytes
 * hold {@code Connection: close} gets that header and the connection is closed after the flush. It is not an HTTP
 * server: it is the floor under Pier's own work, measured by bench/floor.sh next to Pier and nginx.
 *
 * <p>With {@code -Dfloor.spinNanos=N} it busy-waits N ns on the event loop before each response: the floor made as
 * expensive per request as a server that does N ns more work, to see what that work alone does to latency.
 *
 * <p>usage: java -cp PIER_CLASSPATH NettyFloor.java PORTFILE (writes the port it listens on, loopback, to PORTFILE)
 */
public final class NettyFloor {
    private static final byte[] CLOSE = "Connection: close".getBytes(StandardCharsets.US_ASCII);
    private static final long SPIN_NANOS = Long.getLong("floor.spinNanos", 0);
    /** What the spin loop counted, kept so the JIT cannot drop the loop. */
    private static long spun;

    private static ByteBuf response(String connection) {
        String r = "HTTP/1.1 200 OK\r\nServer: pier/1.0\r\nDate: Fri, 27 Nov 2026 09:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: " + connection + "\r\n\r\nhello\n";
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(r.getBytes(StandardCharsets.US_ASCII)));
    }

    @ChannelHandler.Sharable
    static final class Answer extends ChannelInboundHandlerAdapter {
        private final ByteBuf keepAlive = response("keep-alive");
        private final ByteBuf close = response("close");

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            int requests = 0;
            for (int i = in.readerIndex(), end = in.writerIndex() - 3; i < end; i++) {
                if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                        && in.getByte(i + 3) == '\n') {
                    requests++;
                }
            }
            boolean closing = contains(in, CLOSE);
            in.release();
            for (int r = 0; r < requests; r++) {
                spin();
                ctx.write((closing ? close : keepAlive).duplicate(), ctx.voidPromise());
            }
            if (closing && requests > 0) {
                ctx.flush();
                ctx.close();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private static void spin() {
            if (SPIN_NANOS == 0) {
                return;
            }
            long end = System.nanoTime() + SPIN_NANOS;
            long n = 0;
            while (System.nanoTime() - end < 0) {
                n++;
            }
            spun += n;
        }

        private static boolean contains(ByteBuf in, byte[] what) {
            outer:
            for (int i = in.readerIndex(), end = in.writerIndex() - what.length; i <= end; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (in.getByte(i + j) != what[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        var answer = new Answer();
        var ch = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(answer)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), port + "\n");
        ch.closeFuture().sync();
    }
}
