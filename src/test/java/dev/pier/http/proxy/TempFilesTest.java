package dev.pier.http.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's temp file names and levels; files unlinked at once, their level directories left for reuse. */
class TempFilesTest {
    @TempDir
    Path dir;

    @Test
    void namesAndLevelsFollowNginx() {
        assertThat(TempFiles.path(dir, List.of(), 457)).isEqualTo(dir.resolve("0000000457"));
        assertThat(TempFiles.path(dir, List.of(1, 2), 457)).isEqualTo(dir.resolve("7/45/0000000457"));
        assertThat(TempFiles.path(dir, List.of(2, 2, 1), 1234567890L)).isEqualTo(dir.resolve("90/78/6/1234567890"));
    }

    @Test
    void aFileIsWritableAndHasNoNameLeft() throws Exception {
        try (FileChannel ch = TempFiles.open(dir.resolve("t"), List.of(1, 2))) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3}));
            assertThat(ch.size()).isEqualTo(3);
            try (var all = Files.walk(dir.resolve("t"))) {
                List<Path> files = all.filter(Files::isRegularFile).toList();
                assertThat(files).as("unlinked right after it was created").isEmpty();
            }
            try (var levels = Files.list(dir.resolve("t"))) {
                assertThat(levels.toList()).as("one first-level directory").hasSize(1)
                        .allSatisfy(p -> assertThat(p.getFileName().toString()).hasSize(1));
            }
        }
    }
}
