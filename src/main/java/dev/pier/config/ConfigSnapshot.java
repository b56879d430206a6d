package dev.pier.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every file and {@code include} pattern expansion one read of a configuration used, byte for byte. The master sends
 * it with each worker's slot assignment and the worker parses it instead of the disk: a file edited between the
 * master's check and the worker's start can neither break the worker nor make it serve something never checked.
 *
 * @param files the bytes of each file read, in reading order
 * @param globs each include pattern's expansion
 */
public record ConfigSnapshot(Map<Path, byte[]> files, Map<String, List<Path>> globs) implements ConfigFileSystem {
    /** A snapshot of nothing: configurations built from text in memory. */
    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(Map.of(), Map.of());

    public ConfigSnapshot {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        globs = Collections.unmodifiableMap(new LinkedHashMap<>(globs));
    }

    @Override
    public byte[] read(Path file, Source includedFrom) throws ConfigException {
        byte[] bytes = files.get(file);
        if (bytes == null) {
            throw new ConfigException("open() \"" + file + "\" failed (not in the master's configuration snapshot)",
                    includedFrom);
        }
        return bytes;
    }

    @Override
    public List<Path> glob(String pattern) {
        return globs.getOrDefault(pattern, List.of());
    }

    /** Equal when the same files hold the same bytes (a record alone would compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConfigSnapshot other) || !globs.equals(other.globs)
                || !files.keySet().equals(other.files.keySet())) {
            return false;
        }
        return files.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), other.files.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return files.keySet().hashCode() * 31 + globs.hashCode();
    }

    /** Total bytes of file content held. */
    public long size() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** Reads through to another file system (the disk) and remembers everything it answered. */
    public static final class Recorder implements ConfigFileSystem {
        private final ConfigFileSystem from;
        private final Map<Path, byte[]> files = new LinkedHashMap<>();
        private final Map<String, List<Path>> globs = new LinkedHashMap<>();

        public Recorder(ConfigFileSystem from) {
            this.from = from;
        }

        @Override
        public byte[] read(Path file, Source includedFrom) throws ConfigException {
            byte[] bytes = from.read(file, includedFrom);
            files.putIfAbsent(file, bytes); // a file included twice was read twice; both reads are kept as the first
            return files.get(file);
        }

        @Override
        public List<Path> glob(String pattern) {
            return globs.computeIfAbsent(pattern, p -> List.copyOf(from.glob(p)));
        }

        public ConfigSnapshot snapshot() {
            return new ConfigSnapshot(files, globs);
        }
    }
}
