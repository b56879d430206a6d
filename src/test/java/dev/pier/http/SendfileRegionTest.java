package dev.pier.http;

import dev.pier.os.RawFiles;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sendfile region read through {@link RegionReader}, as the buffered paths (sendfile off, limit_rate, gzip, charset)
 * read it: the bytes of its range, pread from the file's descriptor; the file's reference is held until the region is
 * released. The socket path (sendfile) is exercised over a real epoll socket in EpollServerTest.
 */
class SendfileRegionTest {
    /** A file open as a raw descriptor, as the static module opens one. */
    private static final class Descriptor extends AbstractReferenceCounted implements RawFile {
        private final int fd;

        Descriptor(Path p) throws IOException {
            this.fd = RawFiles.open(p.toString(), false);
        }

        @Override
        public int descriptor() {
            return fd;
        }

        @Override
        public int read(ByteBuf dst, long position, int length) throws IOException {
            dst.ensureWritable(length);
            int n = RawFiles.pread(fd, dst.memoryAddress() + dst.writerIndex(), length, position);
            if (n == 0) {
                return -1;
            }
            dst.writerIndex(dst.writerIndex() + n);
            return n;
        }

        @Override
        protected void deallocate() {
            RawFiles.close(fd);
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            return this;
        }
    }

    private static byte[] readAll(RegionReader reader) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (!reader.atEnd()) {
            ByteBuf piece = reader.read(ByteBufAllocator.DEFAULT, reader.nextSize());
            byte[] b = new byte[piece.readableBytes()];
            piece.readBytes(b);
            piece.release();
            out.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void readThroughARegionReaderGivesItsRange(@TempDir Path dir) throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path p = dir.resolve("f.bin");
        Files.write(p, data);
        Descriptor file = new Descriptor(p);
        SendfileRegion region = new SendfileRegion(file, -1, 1000, 250_000);
        assertThat(file.refCnt()).isEqualTo(2);
        RegionReader reader = new RegionReader(region);
        assertThat(readAll(reader)).isEqualTo(Arrays.copyOfRange(data, 1000, 251_000));
        assertThat(region.transferred()).isEqualTo(250_000);
        reader.close();
        assertThat(file.refCnt()).isEqualTo(1); // the region let go of the file
        file.release();
    }

    @Test
    void aFileThatShrankEndsTheTransferWithAnError(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("f.bin");
        Files.write(p, new byte[100_000]);
        Descriptor file = new Descriptor(p);
        SendfileRegion region = new SendfileRegion(file, -1, 0, 100_000);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(40_000);
        }
        RegionReader reader = new RegionReader(region);
        assertThatThrownBy(() -> readAll(reader)).isInstanceOf(IOException.class).hasMessageContaining("file shrank");
        reader.close();
        file.release();
        assertThat(file.refCnt()).isZero();
    }

    @Test
    void anyOtherChannelGetsTheRangeThroughABufferOfItsOwn(@TempDir Path dir) throws IOException {
        byte[] data = new byte[100_000];
        new Random(11).nextBytes(data);
        Path p = dir.resolve("f.bin");
        Files.write(p, data);
        Descriptor file = new Descriptor(p);
        SendfileRegion region = new SendfileRegion(file, -1, 500, 90_000);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var target = java.nio.channels.Channels.newChannel(out);
        while (region.transferred() < region.count()) {
            assertThat(region.transferTo(target, region.transferred())).isPositive();
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 500, 90_500));
        region.release();
        file.release();
        assertThat(file.refCnt()).isZero();
    }
}
