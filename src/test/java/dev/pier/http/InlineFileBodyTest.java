package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InlineFileBodyTest {
    @TempDir
    Path dir;

    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    @Test
    void readsSlicesAndBytesInOrder() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        try (FileChannel fc = FileChannel.open(f)) {
            ByteBuf b = InlineFileBody.read(ALLOC, null, fc, List.of(new FilePart.Bytes("<".getBytes()),
                    new FilePart.Slice(2, 3), new FilePart.Bytes(">".getBytes()), new FilePart.Slice(8, 2)), 7);
            assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("<234>89");
            b.release();
        }
    }

    @Test
    void aFileShorterThanItsSizeOrALargeBodyIsLeftToFileRegions() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "0123");
        try (FileChannel fc = FileChannel.open(f)) {
            // the size was taken before the file shrank to 4 bytes
            assertThat(InlineFileBody.read(ALLOC, null, fc, List.of(new FilePart.Slice(0, 10)), 10)).isNull();
            assertThat(InlineFileBody.read(ALLOC, null, fc, List.of(new FilePart.Slice(0, InlineFileBody.MAX + 1)),
                    InlineFileBody.MAX + 1)).isNull();
            assertThat(InlineFileBody.read(ALLOC, null, fc, List.of(), 0)).isNull();
        }
    }
}
