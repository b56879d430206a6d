package dev.pier.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/** The pid file: written atomically once every socket is bound, removed on exit only if it still names us. */
public final class PidFile {
    private PidFile() {
    }

    public static void write(Path file, long pid) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static OptionalLong read(Path file) throws IOException {
        String s;
        try {
            s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IOException("invalid PID number \"" + s + "\" in \"" + file + "\"");
        }
    }

    public static void removeIfOurs(Path file, long pid) {
        try {
            OptionalLong p = read(file);
            if (p.isPresent() && p.getAsLong() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // nothing to remove
        }
    }
}
