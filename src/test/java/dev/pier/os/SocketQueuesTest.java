package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SocketQueuesTest {

    @Test
    void countsBytesNobodyReadYet() throws Exception {
        int[] pair = UnixSockets.socketPair();
        try {
            assertThat(SocketQueues.unread(pair[1])).isZero();
            UnixSockets.sendmsg(pair[0], new byte[] {1, 2, 3, 4, 5});
            assertThat(SocketQueues.unread(pair[1])).isEqualTo(5);
        } finally {
            Fds.close(pair[0]);
            Fds.close(pair[1]);
        }
    }

    @Test
    void aClosedDescriptorReadsAsNothingWaiting() {
        assertThat(SocketQueues.unread(-1)).isZero();
    }
}
