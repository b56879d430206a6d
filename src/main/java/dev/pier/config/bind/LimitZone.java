package dev.pier.config.bind;

import dev.pier.config.Source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One {@code limit_conn_zone} or {@code limit_req_zone}: nginx's shared memory zone holding the state of every key.
 * Pier's workers are separate JVMs, so the zone is a memory-mapped file all workers of one master share
 * ({@code dev.pier.http.limits.ZoneFiles}); a reload that keeps name, kind and size keeps the state, as nginx keeps a
 * zone whose name and size did not change.
 *
 * @param kind   which module owns it: a name may be used by one kind only
 * @param name   the zone's name ({@code zone=NAME:SIZE})
 * @param size   bytes; the table holds {@code size / 64} states, about what nginx's slab holds for short keys
 * @param key    the key template as written ({@code $binary_remote_addr})
 * @param rate   {@code limit_req_zone} only: requests per 1000 seconds (nginx's rate, {@code 1r/s} = 1000); 0 for
 *               {@code limit_conn_zone}
 * @param source where it was declared
 */
public record LimitZone(Kind kind, String name, long size, String key, long rate, Source source) {

    /**
     * Where zone files live: {@code /dev/shm} when writable (memory, like nginx's shared zones), else the JVM's
     * temporary directory; the system property {@code pier.zones.dir} overrides both (tests).
     */
    public static Path fileDirectory() {
        String forced = System.getProperty("pier.zones.dir");
        if (forced != null) {
            return Path.of(forced);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The glob of every zone file; a file's third dash-separated field is its master's pid. */
    public static final String FILE_GLOB = "pier-*-*.zone";

    /** The pid of the master a zone file named {@code fileName} belongs to, or -1 when it is not one. */
    public static long ownerOf(String fileName) {
        String[] parts = fileName.split("-");
        if (parts.length < 4 || !parts[0].equals("pier") || !fileName.endsWith(".zone")) {
            return -1;
        }
        try {
            return Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** nginx's smallest zone: {@code 8 * ngx_pagesize}. */
    public static final long MIN_SIZE = 8 * 4096;

    public enum Kind {
        CONN("limit_conn_zone"), REQ("limit_req_zone");

        private final String directive;

        Kind(String directive) {
            this.directive = directive;
        }

        public String directive() {
            return directive;
        }
    }

    public LimitZone {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("zone too small: " + size);
        }
        if (kind == Kind.REQ ? rate <= 0 : rate != 0) {
            throw new IllegalArgumentException("rate " + rate);
        }
    }
}
