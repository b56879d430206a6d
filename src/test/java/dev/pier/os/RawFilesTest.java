package dev.pier.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawFilesTest {
    @TempDir
    Path dir;

    @Test
    void openFstatPreadAndCloseAgreeWithTheJdk() throws Exception {
        Path f = Files.writeString(dir.resolve("f.txt"), "hello raw file");
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        int fd = RawFiles.open(f.toString(), false);
        try {
            RawFiles.Stat st = RawFiles.fstat(fd);
            assertThat(st.isRegularFile()).isTrue();
            assertThat(st.isDirectory()).isFalse();
            assertThat(st.size()).isEqualTo(14);
            assertThat(st.mtimeMillis()).isEqualTo(a.lastModifiedTime().toMillis());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(64);
                assertThat(RawFiles.pread(fd, buf.address(), 64, 6)).isEqualTo(8);
                assertThat(new String(buf.asSlice(0, 8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        StandardCharsets.US_ASCII)).isEqualTo("raw file");
                assertThat(RawFiles.pread(fd, buf.address(), 64, 14)).isZero(); // the end
            }
        } finally {
            RawFiles.close(fd);
        }
    }

    @Test
    void statDescribesANameAndFailsWithoutAnException() throws Exception {
        Path f = Files.writeString(dir.resolve("f.txt"), "hello");
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        RawFiles.Stat st = RawFiles.tryStat(f.toString(), false);
        assertThat(st.isRegularFile()).isTrue();
        assertThat(st.size()).isEqualTo(5);
        assertThat(st.mtimeMillis()).isEqualTo(a.lastModifiedTime().toMillis());
        assertThat(RawFiles.tryStat(dir.toString(), false).isDirectory()).isTrue();

        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertThat(RawFiles.tryStat(link.toString(), false).isRegularFile()).isTrue(); // followed
        RawFiles.Stat l = RawFiles.tryStat(link.toString(), true); // lstat: the link itself
        assertThat(l.isSymbolicLink()).isTrue();
        assertThat(l.isRegularFile()).isFalse();

        assertThat(RawFiles.tryStat(dir.resolve("missing").toString(), false)).isNull();
        assertThat(RawFiles.lastErrno()).isEqualTo(2);
        assertThat(RawFiles.tryStat(f + "/below", false)).isNull();
        assertThat(RawFiles.lastErrno()).isEqualTo(20);
        assertThat(RawFiles.tryStat("/" + "a".repeat(5000), false)).isNull();
        assertThat(RawFiles.lastErrno()).isEqualTo(36);

        assertThat(RawFiles.tryOpen(dir.resolve("missing").toString(), false)).isEqualTo(-2);
        assertThat(RawFiles.tryOpen(link.toString(), true)).isEqualTo(-40);
        assertThat(RawFiles.tryOpen("/" + "a".repeat(5000), false)).isEqualTo(-36);
    }

    @Test
    void failuresCarryTheErrno() throws Exception {
        assertThatThrownBy(() -> RawFiles.open(dir.resolve("missing").toString(), false))
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(2));
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> RawFiles.open(f + "/below", false))
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(20));
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertThatThrownBy(() -> RawFiles.open(link.toString(), true)) // O_NOFOLLOW: ELOOP
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(40));
        int fd = RawFiles.open(link.toString(), false); // followed
        RawFiles.close(fd);
        assertThatThrownBy(() -> RawFiles.open("/" + "a".repeat(5000), false))
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(36));
    }

    @Test
    void theCallsOnAnOpenDescriptorReportTheirErrnoToo() throws Exception {
        // fstat, pread, sendfile and close are critical downcalls: errno is captured all the same
        assertThatThrownBy(() -> RawFiles.fstat(-1))
                .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(9)); // EBADF
        int fd = RawFiles.open(dir.toString(), false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            assertThatThrownBy(() -> RawFiles.pread(fd, buf.address(), 16, 0))
                    .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(21)); // EISDIR
            assertThatThrownBy(() -> RawFiles.sendfile(-1, fd, 0, 16))
                    .isInstanceOfSatisfying(OsException.class, e -> assertThat(e.errno()).isEqualTo(9));
        } finally {
            RawFiles.close(fd);
        }
    }

    @Test
    @Timeout(10)
    void aDirectoryIsDescribedAndAFifoDoesNotBlock() throws Exception {
        int fd = RawFiles.open(dir.toString(), false);
        try {
            assertThat(RawFiles.fstat(fd).isDirectory()).isTrue();
        } finally {
            RawFiles.close(fd);
        }
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        fd = RawFiles.open(fifo.toString(), false); // O_NONBLOCK: no writer needed
        try {
            RawFiles.Stat st = RawFiles.fstat(fd);
            assertThat(st.isRegularFile()).isFalse();
            assertThat(st.isDirectory()).isFalse();
        } finally {
            RawFiles.close(fd);
        }
    }
}
