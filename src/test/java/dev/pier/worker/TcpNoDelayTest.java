package dev.pier.worker;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Workers rely on Netty's epoll channels turning TCP_NODELAY on by themselves (nginx's {@code tcp_nodelay on}, so
 * a small response is not held back by Nagle's algorithm); {@link WorkerServer} no longer sets it a second time.
 */
class TcpNoDelayTest {
    @Test
    void nettysEpollChannelsStartWithNoDelay() {
        assumeTrue(Epoll.isAvailable());
        EpollSocketChannel ch = new EpollSocketChannel();
        try {
            assertThat(ch.config().isTcpNoDelay()).isTrue();
        } finally {
            ch.unsafe().closeForcibly();
        }
    }
}
