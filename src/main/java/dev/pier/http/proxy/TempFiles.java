package dev.pier.http.proxy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Temp files named as nginx names them ({@code ngx_create_temp_file}, {@code ngx_create_hashed_filename}): a
 * ten-digit number, under level directories taken from its last digits ({@code proxy_temp_path /t 1 2} puts
 * {@code 0000000457} at {@code /t/7/45/0000000457}). A file is created mode 0600 and unlinked at once, as nginx's
 * non-persistent temp files are, so it lives exactly as long as its descriptor. Level directories are made on
 * demand by the worker, which owns the top directory the master created.
 */
final class TempFiles {
    /** Per worker JVM, started at a random point as nginx's {@code ngx_temp_number} is. */
    private static final AtomicLong NEXT = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000_000L));

    private TempFiles() {
    }

    /** An open, already unlinked temp file in {@code dir} with {@code levels} (widths 1 or 2). */
    static FileChannel open(Path dir, List<Integer> levels) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = NEXT.getAndIncrement() % 10_000_000_000L;
            Path p = path(dir, levels, n);
            if (!Files.isDirectory(p.getParent())) {
                Files.createDirectories(p.getParent()); // level directories, or the top one in single mode
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt < 16) {
                    NEXT.addAndGet(ThreadLocalRandom.current().nextInt(1, 1000)); // nginx: a collision jumps ahead
                    continue;
                }
                throw e;
            }
            try {
                Files.deleteIfExists(p); // unlinked now: the open channel keeps the data until it is closed
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return ch;
        }
    }

    /** Where number {@code n} goes: {@code dir/L1/L2/L3/NNNNNNNNNN}, each level the next digits from the end. */
    static Path path(Path dir, List<Integer> levels, long n) {
        String name = String.format("%010d", n);
        Path p = dir;
        int end = name.length();
        for (int width : levels) {
            p = p.resolve(name.substring(end - width, end));
            end -= width;
        }
        return p.resolve(name);
    }
}
