package dev.pier.http.limits;

import dev.pier.config.bind.LimitZone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a zone's shared table lives and how a worker maps it: a file in {@code /dev/shm} (memory, like nginx's
 * shared zones; {@code java.io.tmpdir} where there is none) named after the configuration file, the master's pid,
 * the zone's kind, name and size. Every worker of one master maps the same file; a reload keeps it when name and size
 * are unchanged (nginx keeps such a zone), a new master (restart, binary upgrade) starts empty, as nginx's zones do.
 * A master deletes its files when it exits; files of masters that died are deleted by the next worker that opens
 * a zone.
 *
 * <p>Creation is idempotent across workers racing to start: an exclusive file lock guards sizing and the header
 * (magic, bucket count), and a file whose header matches is used as it is. Each JVM maps a file once and keeps it.
 */
public final class ZoneFiles {
    private static final Map<String, ZoneTable> OPEN = new ConcurrentHashMap<>();
    private static volatile boolean swept;

    private ZoneFiles() {
    }

    /** The directory of zone files (see {@link LimitZone#fileDirectory()}). */
    static Path directory() {
        return LimitZone.fileDirectory();
    }

    /**
     * The pid the zones belong to: a worker's master (its parent: workers are started with {@code --worker}),
     * else this process ({@code master_process off}).
     */
    static long ownerPid() {
        String cmd = System.getProperty("sun.java.command", "");
        if (cmd.contains(" --worker ")) {
            return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
        }
        return ProcessHandle.current().pid();
    }

    /**
     * {@code pier-<config hash>-<owner pid>-<kind>-<name>-<name hash>-<key hash>-<size>.zone}; the name is kept to
     * safe characters. The key is part of the identity: a reload that changes a zone's key starts it empty (nginx
     * refuses such a reload with "uses the ... key while previously it used the ... key").
     */
    static String fileName(LimitZone z, long owner) {
        String conf = Integer.toHexString(z.source().file().toAbsolutePath().normalize().toString().hashCode());
        String safe = z.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        return prefix(conf) + owner + "-" + z.kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + safe + "-"
                + Integer.toHexString(z.name().hashCode()) + "-" + Integer.toHexString(z.key().hashCode()) + "-"
                + z.size() + ".zone";
    }

    private static String prefix(String confHash) {
        return "pier-" + confHash + "-";
    }

    /** The table of {@code zone} for this process, mapping (and creating) its file the first time. */
    static ZoneTable open(LimitZone zone) throws IOException {
        long owner = ownerPid();
        Path file = directory().resolve(fileName(zone, owner));
        ZoneTable t = OPEN.get(file.toString());
        if (t != null) {
            return t;
        }
        synchronized (OPEN) {
            t = OPEN.get(file.toString());
            if (t == null) {
                sweep(file.getParent());
                t = new ZoneTable(map(file, ZoneTable.bytesFor(zone.size())), (int) ProcessHandle.current().pid());
                OPEN.put(file.toString(), t);
            }
            return t;
        }
    }

    /** Maps {@code file} with {@code bytes}, sized and stamped under an exclusive lock if it is new. */
    static MemorySegment map(Path file, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rw-------")))) {
            try (FileLock _ = ch.lock()) {
                MemorySegment seg;
                if (ch.size() != bytes) {
                    ch.truncate(0);
                    ch.write(java.nio.ByteBuffer.allocate(1), bytes - 1); // sparse: zero pages until touched
                    seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, Arena.global());
                    seg.set(ValueLayout.JAVA_LONG, 8, (bytes - ZoneTable.HEADER_BYTES) / ZoneTable.BUCKET_BYTES);
                    seg.set(ValueLayout.JAVA_LONG, 0, ZoneTable.MAGIC);
                } else {
                    seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, Arena.global());
                    if (seg.get(ValueLayout.JAVA_LONG, 0) != ZoneTable.MAGIC) {
                        seg.fill((byte) 0);
                        seg.set(ValueLayout.JAVA_LONG, 8, (bytes - ZoneTable.HEADER_BYTES) / ZoneTable.BUCKET_BYTES);
                        seg.set(ValueLayout.JAVA_LONG, 0, ZoneTable.MAGIC);
                    }
                }
                return seg; // the mapping outlives the channel
            }
        }
    }

    /** Once per JVM: deletes zone files whose master is gone (a stopped Pier leaves its files behind). */
    private static void sweep(Path dir) {
        if (swept) {
            return;
        }
        swept = true;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, LimitZone.FILE_GLOB)) {
            for (Path p : ds) {
                long pid = LimitZone.ownerOf(p.getFileName().toString());
                if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // not deletable (another user's): leave it
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable directory: nothing to sweep
        }
    }
}
