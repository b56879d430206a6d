package dev.pier.http.staticfiles;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A location's {@code root}: maps a URI to a file as nginx does (root + uri) and keeps every result inside the root.
 * Also turns file-system failures into nginx's errno text for log lines.
 */
final class DocumentRoot {
    private final Path root;
    private final String prefix;

    DocumentRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
        String s = this.root.toString();
        this.prefix = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    String prefix() {
        return prefix;
    }

    /** The file for a normalised URI, or {@code null} if it would leave the root (never for a parsed URI). */
    Path resolve(String uri) {
        if (!uri.startsWith("/") || uri.indexOf('\0') >= 0) {
            return null;
        }
        Path p = Path.of(prefix + uri);
        if (uri.contains("/.") && !p.normalize().startsWith(root)) {
            return null; // defence in depth: dot segments were already resolved by the URI parser
        }
        return p;
    }

    /** nginx's {@code (errno: strerror)} for a failure. */
    static String errno(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "2: No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "13: Permission denied";
        }
        String reason = e.getReason() == null ? "" : e.getReason();
        return switch (reason) {
            case "Not a directory" -> "20: Not a directory";
            case "File name too long" -> "36: File name too long";
            case "Too many levels of symbolic links" -> "40: Too many levels of symbolic links";
            default -> reason;
        };
    }

    /** EACCES, and ELOOP: a symbolic link {@code disable_symlinks} refuses (or a loop of them), as nginx. */
    static boolean forbidden(FileSystemException e) {
        return e instanceof AccessDeniedException || FileOpener.ELOOP.equals(e.getReason());
    }

    /** ENOENT, ENOTDIR and ENAMETOOLONG mean "not found" to nginx. */
    static boolean notFound(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return true;
        }
        String reason = e.getReason();
        return "Not a directory".equals(reason) || "File name too long".equals(reason);
    }
}
