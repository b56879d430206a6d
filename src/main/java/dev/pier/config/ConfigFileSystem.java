package dev.pier.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the parser gets configuration files from: the disk, or a {@link ConfigSnapshot} of what the master read, so
 * that a worker serves exactly the configuration its master checked even if the files changed since (nginx's workers
 * get that for free from fork()).
 */
public interface ConfigFileSystem {
    /** The bytes of {@code file}; failures worded as nginx's, located at {@code includedFrom} (null: main file). */
    byte[] read(Path file, Source includedFrom) throws ConfigException;

    /** The paths an {@code include} pattern names, sorted as glob(3) returns them. */
    List<Path> glob(String pattern);

    /** The files as they are on disk now. */
    static ConfigFileSystem disk() {
        return Disk.INSTANCE;
    }

    /** Reads the disk. */
    final class Disk implements ConfigFileSystem {
        static final Disk INSTANCE = new Disk();

        private Disk() {
        }

        @Override
        public byte[] read(Path file, Source includedFrom) throws ConfigException {
            return ConfigFiles.read(file, includedFrom);
        }

        @Override
        public List<Path> glob(String pattern) {
            return Includes.glob(pattern);
        }
    }
}
