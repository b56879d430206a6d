package dev.pier.http.staticfiles;

import dev.pier.config.bind.FileIoConf;
import dev.pier.http.Exchange;
import dev.pier.http.HeldWrites;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * How a static body leaves: {@code sendfile on} writes zero-copy file regions; {@code sendfile off} has them read into
 * buffers ({@link BufferedFileWriter}, installed on a connection the first time it needs it, then switched per
 * response). With {@code tcp_nopush on} (and sendfile) the socket is corked ({@code TCP_CORK}, as nginx does on Linux)
 * while the head and the first part of the file are written, so they share full packets; it is uncorked once that
 * write is done (nginx uncorks when the connection turns idle). {@code limit_rate} paces the body through the same
 * buffers ({@link Pace}).
 */
final class FileTransfer {
    static final String CHUNKS = "file-chunks";
    static final String BUFFERS = "file-buffers";
    /** Netty's response encoder in the HTTP pipeline (HttpServerInitializer's name). */
    private static final String ENCODER = "encoder";

    private FileTransfer() {
    }

    /** Called on the event loop just before a file response is written. */
    static void prepare(Exchange ex) {
        FileIoConf io = ex.location().fileIo();
        Channel ch = ex.channel();
        ChannelPipeline p = ch.pipeline();
        BufferedFileWriter w = (BufferedFileWriter) p.get(BUFFERS);
        long rate = ex.limitRate(); // the location's limit_rate, or set $limit_rate
        boolean limited = rate > 0;
        if ((!io.sendfile() || limited) && w == null && p.get(ENCODER) != null) {
            w = new BufferedFileWriter();
            p.addAfter(ENCODER, CHUNKS, new HeldWrites());
            p.addAfter(CHUNKS, BUFFERS, w);
        }
        if (w != null) {
            w.next(!io.sendfile(), limited ? new Pace(rate, io.limitRateAfter(), System.nanoTime()) : null);
        }
        // an epoll TCP connection takes TCP_CORK; any other channel's config answers false and nothing is corked
        if (io.sendfile() && !limited && io.tcpNopush() && ch.config().setOption(EpollChannelOption.TCP_CORK, true)) {
            // tasks run after this loop turn's I/O, so after the flush that ends the current read; a connection
            // closed by then (its response was its last) has nothing to uncork
            ch.eventLoop().execute(() -> {
                if (ch.isOpen()) {
                    ch.config().setOption(EpollChannelOption.TCP_CORK, false);
                }
            });
        }
    }
}
