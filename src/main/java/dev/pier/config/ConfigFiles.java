package dev.pier.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a configuration file whole and words failures as nginx does: {@code open() "/etc/pier/x.conf" failed (2: No
 * such file or directory)}. Opening and reading fail differently on purpose: nginx opens a directory without error and
 * then fails in {@code pread()} with {@code (21: Is a directory)}.
 */
final class ConfigFiles {
    /** Linux errno values for the strerror texts the JDK puts in its exceptions. */
    private static final Map<String, Integer> ERRNO = Map.ofEntries(
            Map.entry("No such file or directory", 2),
            Map.entry("Input/output error", 5),
            Map.entry("No such device or address", 6),
            Map.entry("Permission denied", 13),
            Map.entry("No such device", 19),
            Map.entry("Not a directory", 20),
            Map.entry("Is a directory", 21),
            Map.entry("Too many open files in system", 23),
            Map.entry("Too many open files", 24),
            Map.entry("File name too long", 36),
            Map.entry("Too many levels of symbolic links", 40));

    private ConfigFiles() {
    }

    /**
     * The bytes of {@code file}. An open failure is reported at {@code includedFrom} (the {@code include} directive,
     * or {@code null} for the main file, which nginx reports without a location); a read failure never has one, as
     * nginx logs it from {@code ngx_read_file}.
     */
    static byte[] read(Path file, Source includedFrom) throws ConfigException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ConfigException("open() \"" + file + "\" failed " + errno(e), includedFrom);
        }
        try (channel) {
            return readAll(channel);
        } catch (IOException e) {
            throw new ConfigException("pread() \"" + file + "\" failed " + errno(e));
        }
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Math.max(channel.size(), 1), Integer.MAX_VALUE - 8));
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                // the file grew while we read it, or reports no size (a pipe): keep reading
                buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** {@code (2: No such file or directory)}, nginx's {@code ngx_log_errno} format. */
    static String errno(IOException e) {
        String reason = switch (e) {
            case NoSuchFileException n -> "No such file or directory";
            case AccessDeniedException a -> "Permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage();
        };
        Integer number = ERRNO.get(reason);
        return number == null ? "(" + reason + ")" : "(" + number + ": " + reason + ")";
    }
}
