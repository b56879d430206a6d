package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The response temp file: FIFO order across writes and reads, the size bound, no name left in the directory. */
class ResponseSpoolTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] readAll(ResponseSpool s, int limit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b = s.read(ByteBufAllocator.DEFAULT, limit); b != null; b = s.read(ByteBufAllocator.DEFAULT,
                limit)) {
            assertThat(b.readableBytes()).isLessThanOrEqualTo(limit);
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    @Test
    void bytesComeBackInOrderInPiecesAndTheFileHasNoName() throws Exception {
        Path temp = dir.resolve("proxy_temp"); // created on first use, as in single-process mode
        ResponseSpool s = new ResponseSpool(temp, 1 << 20, 8192);
        assertThat(s.opened()).isFalse();
        byte[] a = bytes(100_000, 1);
        byte[] b = bytes(3, 2);
        ByteBuf in = Unpooled.wrappedBuffer(a);
        s.add(in);
        assertThat(in.readableBytes()).as("the caller's buffer is not consumed").isEqualTo(a.length);
        in.release();
        ByteBuf in2 = Unpooled.wrappedBuffer(b);
        s.add(in2);
        in2.release();
        assertThat(s.opened()).isTrue();
        assertThat(s.pending()).isTrue();
        try (var names = Files.list(temp)) {
            assertThat(names).as("unlinked right after it was created").isEmpty();
        }
        byte[] back = readAll(s, 4096);
        byte[] expected = new byte[a.length + b.length];
        System.arraycopy(a, 0, expected, 0, a.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertThat(back).isEqualTo(expected);
        assertThat(s.pending()).isFalse();
        s.close();
        s.close();
        assertThat(s.opened()).isFalse();
    }

    @Test
    void theBoundIsOnWhatTheFileHoldsAndADrainedFileStartsOver() throws Exception {
        ResponseSpool s = new ResponseSpool(dir, 10_000, 1000);
        ByteBuf in = Unpooled.wrappedBuffer(bytes(6000, 3));
        s.add(in);
        assertThat(s.hasRoom()).isTrue();
        s.add(in);
        in.release();
        assertThat(s.hasRoom()).as("12000 bytes held, over 10000").isFalse();
        ByteBuf first = s.read(ByteBufAllocator.DEFAULT, 5000);
        assertThat(first.readableBytes()).isEqualTo(5000);
        first.release();
        assertThat(s.hasRoom()).as("still holding the unread rest").isFalse();
        assertThat(readAll(s, 64 * 1024)).hasSize(7000);
        assertThat(s.hasRoom()).as("drained: emptied and reused").isTrue();
        ByteBuf again = Unpooled.wrappedBuffer(bytes(10, 4));
        s.add(again);
        again.release();
        assertThat(readAll(s, 64 * 1024)).isEqualTo(bytes(10, 4));
        s.close();
    }
}
