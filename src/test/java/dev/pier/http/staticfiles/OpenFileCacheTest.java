package dev.pier.http.staticfiles;

import dev.pier.config.bind.FileIoConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** open_file_cache on a fake clock: validity, min_uses, errors, LRU and inactive eviction, shared descriptors. */
class OpenFileCacheTest {
    private static final long SEC = 1_000_000_000L;
    private static final FileOpener.Symlinks OFF = FileOpener.Symlinks.OFF;

    @TempDir
    Path dir;

    private static OpenFileCache cache(int max, int minUses, boolean errors) {
        return new OpenFileCache(new FileIoConf.OpenFileCache(max, Duration.ofSeconds(20)), 5 * SEC, minUses, errors);
    }

    private static String read(OpenFile f) throws Exception {
        var b = io.netty.buffer.Unpooled.directBuffer((int) f.size() + 1);
        try {
            f.read(b, 0, (int) f.size());
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void withinValidTheCachedFileAfterValidTheNewOne() throws Exception {
        Path p = Files.writeString(dir.resolve("a.txt"), "old");
        OpenFileCache c = cache(10, 1, false);
        OpenFile first = c.open(p, OFF, 0);
        assertThat(read(first)).isEqualTo("old");
        first.release();
        // replaced (a new inode, as deploy tools do): within valid the cached descriptor still reads the old file
        Path tmp = Files.writeString(dir.resolve("a.tmp"), "brand new");
        Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        OpenFile cached = c.open(p, OFF, 4 * SEC);
        assertThat(cached).isSameAs(first);
        assertThat(read(cached)).isEqualTo("old");
        // after valid the entry is looked up again: the new file, and the old descriptor closes once unused
        OpenFile fresh = c.open(p, OFF, 5 * SEC);
        assertThat(fresh).isNotSameAs(first);
        assertThat(fresh.size()).isEqualTo(9);
        assertThat(read(fresh)).isEqualTo("brand new");
        assertThat(first.refCnt()).isEqualTo(1); // the response that still sends it
        assertThat(first.descriptorOpen()).isTrue();
        cached.release();
        assertThat(first.descriptorOpen()).isFalse();
        fresh.release();
    }

    @Test
    void minUsesDecidesWhenADescriptorIsKept() throws Exception {
        Path p = Files.writeString(dir.resolve("a.txt"), "x");
        OpenFileCache c = cache(10, 2, false);
        OpenFile one = c.open(p, OFF, 0);
        one.release();
        assertThat(one.refCnt()).isZero(); // one use: not kept
        OpenFile two = c.open(p, OFF, SEC);
        OpenFile three = c.open(p, OFF, 2 * SEC);
        assertThat(three).isSameAs(two);
        two.release();
        three.release();
        assertThat(two.refCnt()).isEqualTo(1); // the cache's own
    }

    @Test
    void errorsAreRememberedOnlyWithErrorsOn() throws Exception {
        Path p = dir.resolve("late.txt");
        OpenFileCache on = cache(10, 1, true);
        OpenFileCache off = cache(10, 1, false);
        assertThatThrownBy(() -> on.open(p, OFF, 0)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> off.open(p, OFF, 0)).isInstanceOf(NoSuchFileException.class);
        Files.writeString(p, "here");
        assertThatThrownBy(() -> on.open(p, OFF, SEC)).isInstanceOf(NoSuchFileException.class);
        off.open(p, OFF, SEC).release();
        on.open(p, OFF, 5 * SEC).release(); // revalidated after valid
    }

    @Test
    void leastRecentlyUsedGoesBeyondMaxAndInactiveEntriesExpire() throws Exception {
        OpenFileCache c = cache(2, 1, false);
        Path a = Files.writeString(dir.resolve("a"), "a");
        Path b = Files.writeString(dir.resolve("b"), "b");
        Path d = Files.writeString(dir.resolve("d"), "d");
        OpenFile fa = c.open(a, OFF, 0);
        c.open(b, OFF, SEC).release();
        c.open(a, OFF, 2 * SEC).release(); // a is now the most recent
        fa.release();
        c.open(d, OFF, 3 * SEC).release(); // evicts b
        assertThat(c.size()).isEqualTo(2);
        assertThat(fa.refCnt()).isEqualTo(1);
        OpenFile fa2 = c.open(a, OFF, 4 * SEC);
        assertThat(fa2).isSameAs(fa);
        fa2.release();
        // 20 s unused: everything goes on the next lookup
        c.open(b, OFF, 30 * SEC).release();
        assertThat(c.size()).isEqualTo(1);
        assertThat(fa.refCnt()).isZero();
        assertThat(fa.descriptorOpen()).isFalse();
    }
}
