package dev.pier.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A throw-away Pier prefix ({@code -p}): {@code conf/}, {@code logs/}, {@code html/index.html}, and
 * {@code conf/mime.types} copied from {@code ${pier.home}/conf} when present. Next to it lies an empty {@link #cwd()}
 * from which Pier is started, so a path Pier wrongly resolves against its working directory lands there and not in the
 * prefix.
 */
public final class TestPrefix {
    public static final String INDEX_HTML = "<!DOCTYPE html>\n<html><body><h1>pier test index</h1></body></html>\n";

    /** A static file written into {@code html/} with its size and SHA-256 (hex). */
    public record StaticFile(Path path, long size, String sha256) {
    }

    private final Path root;
    private final Path dir;

    private TestPrefix(Path root) throws IOException {
        this.root = root;
        this.dir = Files.createDirectories(root.resolve("prefix"));
        Files.createDirectories(root.resolve("cwd"));
        Files.createDirectories(conf());
        Files.createDirectories(logs());
        Files.createDirectories(html());
        Files.writeString(html().resolve("index.html"), INDEX_HTML);
        Path mime = pierHome().resolve("conf/mime.types");
        if (Files.isRegularFile(mime)) {
            Files.copy(mime, conf().resolve("mime.types"));
        }
    }

    /** A fresh prefix under the system temp directory. */
    public static TestPrefix create() {
        try {
            // world-readable like a real install: a root master runs its workers as nobody, who must reach html/
            return new TestPrefix(Files.createTempDirectory("pier-it-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pier.home} (set by failsafe to the project directory), falling back to the working directory. */
    public static Path pierHome() {
        return Path.of(System.getProperty("pier.home", System.getProperty("user.dir"))).toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    /** The temp directory holding the prefix, the cwd and the captured process output. */
    public Path root() {
        return root;
    }

    public Path cwd() {
        return root.resolve("cwd");
    }

    public Path conf() {
        return dir.resolve("conf");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path html() {
        return dir.resolve("html");
    }

    /** The file passed with {@code -c conf/pier.conf}; Pier must resolve it against the prefix. */
    public Path confFile() {
        return conf().resolve("pier.conf");
    }

    public Path errorLog() {
        return logs().resolve("error.log");
    }

    public Path pidFile() {
        return logs().resolve("pier.pid");
    }

    /** {@code logs/pier.pid.oldbin}: the old master's pid file during a binary upgrade (nginx's name). */
    public Path oldbinPidFile() {
        return logs().resolve("pier.pid.oldbin");
    }

    /** The pid in a pid file, or empty if the file is absent, empty or not a number. */
    public static java.util.Optional<Long> readPid(Path file) {
        try {
            return java.util.Optional.of(Long.parseLong(readOrEmpty(file).strip()));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Writes {@code conf/pier.conf}. */
    public void writeConf(String text) {
        write(confFile(), text);
    }

    /** Writes a text file under {@code html/}. */
    public Path writeHtml(String name, String text) {
        return write(html().resolve(name), text);
    }

    /** The error log's content, or "" if it does not exist. */
    public String errorLogText() {
        return readOrEmpty(errorLog());
    }

    /**
     * The master's {@code worker process PID (...) ready} lines so far: a worker holding its sockets may still be
     * binding its configuration, this line says it serves.
     */
    public List<String> readyLines() {
        return errorLogText().lines().filter(l -> l.endsWith(") ready")).toList();
    }

    /**
     * Writes {@code html/NAME} with {@code size} deterministic pseudo-random bytes (incompressible, so nothing in
     * between can shortcut it) and returns its checksum.
     */
    public StaticFile largeFile(String name, long size) {
        Path p = html().resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Random random = new Random(size);
            byte[] buf = new byte[1 << 16];
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                random.nextBytes(buf);
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
            return new StaticFile(p, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the whole temp directory. */
    public void delete() {
        deleteTree(root);
    }

    /** Removes files bigger than 1 MiB (kept prefixes of failed tests stay small). */
    public void deleteLargeFiles() {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(p) > (1 << 20)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // best effort clean-up
        }
    }

    static String readOrEmpty(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<unreadable " + p + ": " + e + ">";
        }
    }

    private static Path write(Path p, String text) {
        try {
            return Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort clean-up of a temp directory
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
