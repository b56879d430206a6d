package dev.pier.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSpoolTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Drains the spool; every piece is released after copying, so a leak would show in refCnt checks. */
    private static byte[] drain(RequestSpool s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<HttpContent> pieces = new ArrayList<>();
        for (HttpContent c = s.next(); c != null; c = s.next()) {
            pieces.add(c);
            byte[] b = new byte[c.content().readableBytes()];
            c.content().getBytes(c.content().readerIndex(), b);
            out.writeBytes(b);
            c.release();
        }
        assertThat(pieces.getLast()).isInstanceOf(LastHttpContent.class);
        assertThat(pieces.subList(0, pieces.size() - 1)).noneMatch(p -> p instanceof LastHttpContent);
        return out.toByteArray();
    }

    @Test
    void smallBodyStaysInMemory() throws Exception {
        RequestSpool s = new RequestSpool(ByteBufAllocator.DEFAULT, 16 * 1024, dir.resolve("client_body_temp"));
        ByteBuf a = Unpooled.wrappedBuffer(bytes(1000, 1));
        ByteBuf b = Unpooled.wrappedBuffer(bytes(2000, 2));
        s.add(a);
        s.add(b);
        assertThat(s.inFile()).isFalse();
        assertThat(s.size()).isEqualTo(3000);
        byte[] first = drain(s);
        s.rewind(); // a retry sends the same bytes again
        assertThat(drain(s)).isEqualTo(first).hasSize(3000);
        s.release();
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        assertThat(dir.resolve("client_body_temp")).doesNotExist(); // no file needed, no directory made
    }

    @Test
    void largeBodyGoesToAnUnlinkedTempFile() throws Exception {
        Path temp = dir.resolve("client_body_temp");
        RequestSpool s = new RequestSpool(ByteBufAllocator.DEFAULT, 16 * 1024, temp);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<ByteBuf> given = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] b = bytes(10_000 + i, i);
            expected.writeBytes(b);
            ByteBuf buf = Unpooled.wrappedBuffer(b);
            given.add(buf);
            s.add(buf);
        }
        assertThat(s.inFile()).isTrue();
        try (var names = Files.list(temp)) {
            assertThat(names).as("the temp file is unlinked as soon as it is open").isEmpty();
        }
        assertThat(drain(s)).isEqualTo(expected.toByteArray());
        s.rewind();
        assertThat(drain(s)).isEqualTo(expected.toByteArray());
        s.release();
        assertThat(given).allMatch(b -> b.refCnt() == 0);
    }
}
