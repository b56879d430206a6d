package dev.pier.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/** What a test client sees of many idle connections it holds. */
final class ClientSockets {
    private ClientSockets() {
    }

    /**
     * Open connections of {@code cs} (non-blocking channels): a read that sees EOF or a reset means the server closed
     * it; a channel still connecting does not count.
     */
    static int countOpen(List<SocketChannel> cs) {
        int open = 0;
        ByteBuffer buf = ByteBuffer.allocate(256);
        for (SocketChannel c : cs) {
            if (!c.isOpen() || !c.isConnected()) {
                continue;
            }
            try {
                buf.clear();
                if (c.read(buf) >= 0) {
                    open++;
                }
            } catch (IOException reset) {
                // closed by the server
            }
        }
        return open;
    }
}
