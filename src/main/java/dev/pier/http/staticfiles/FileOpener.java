package dev.pier.http.staticfiles;

import dev.pier.config.bind.FileIoConf;
import dev.pier.os.OsException;
import dev.pier.os.RawFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens a file as nginx's {@code ngx_open_cached_file} does, with {@code disable_symlinks}: {@code on} refuses a
 * path any component of which is a symbolic link, {@code if_not_owner} one whose link and target have different
 * owners; components inside {@code from=PART} are not checked. A refusal is {@code ELOOP} (403 to the client).
 * nginx walks the path with {@code openat(O_NOFOLLOW)}; Pier checks each component with {@code lstat} and opens the
 * last with {@code O_NOFOLLOW} (with {@code on}), so a directory swapped for a link between the check and the open
 * is not caught. A file to be served is opened first and then described by {@code fstat} of its descriptor, as nginx
 * does ({@link RawFiles}); a name only looked up is described by {@code stat}. Names with characters beyond ASCII
 * go through the JDK.
 */
final class FileOpener {
    static final String ELOOP = "Too many levels of symbolic links";
    private static final int ELOOP_ERRNO = 40;

    private FileOpener() {
    }

    /** The symlink policy of one request: the mode and the initial part of the path that is trusted. */
    record Symlinks(FileIoConf.Symlinks mode, String from) {
        static final Symlinks OFF = new Symlinks(FileIoConf.Symlinks.OFF, "");
    }

    /** Looks {@code path} up; {@code open} false stats only (existence and type). Fails with the errno's exception. */
    static OpenFile open(Path path, Symlinks symlinks, boolean open) throws IOException {
        LinkOption[] follow = new LinkOption[0];
        if (symlinks.mode() != FileIoConf.Symlinks.OFF) {
            check(path, symlinks);
        }
        String name = path.toString();
        if (ascii(name)) {
            boolean noFollow = symlinks.mode() == FileIoConf.Symlinks.ON;
            return open ? openRaw(name, noFollow) : statRaw(name, noFollow);
        }
        if (symlinks.mode() == FileIoConf.Symlinks.ON) {
            follow = new LinkOption[] {LinkOption.NOFOLLOW_LINKS}; // a link that appeared since the check: refused
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, follow);
        FileChannel fc = null;
        if (open && a.isRegularFile()) {
            fc = follow.length == 0 ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        return new OpenFile(fc, a.size(), a.lastModifiedTime().toMillis(), a.isDirectory(), a.fileKey());
    }

    /**
     * nginx's way: {@code open(O_RDONLY|O_NONBLOCK)}, then {@code fstat} of the descriptor, so the name is walked
     * once; {@code noFollow} refuses a final component that became a link since the check (ELOOP, 403). A directory
     * or other non-regular file is closed again and only described.
     */
    private static OpenFile openRaw(String name, boolean noFollow) throws IOException {
        int fd = RawFiles.tryOpen(name, noFollow);
        if (fd < 0) {
            throw failure(name, -fd);
        }
        RawFiles.Stat st;
        try {
            st = RawFiles.fstat(fd);
        } catch (OsException e) {
            RawFiles.close(fd);
            throw failure(name, e.errno());
        }
        if (st.isRegularFile()) {
            return OpenFile.raw(fd, st);
        }
        RawFiles.close(fd);
        return described(st);
    }

    /** A look-up without opening: {@code stat}, or {@code lstat} when a final link is refused (it is then ELOOP). */
    private static OpenFile statRaw(String name, boolean noFollow) throws IOException {
        RawFiles.Stat st = RawFiles.tryStat(name, noFollow);
        if (st == null) {
            throw failure(name, RawFiles.lastErrno());
        }
        if (noFollow && st.isSymbolicLink()) {
            throw failure(name, ELOOP_ERRNO); // as open(O_NOFOLLOW) refuses it
        }
        return described(st);
    }

    private static OpenFile described(RawFiles.Stat st) {
        return new OpenFile(null, st.size(), st.mtimeMillis(), st.isDirectory(),
                new OpenFile.Key(st.device(), st.inode()));
    }

    /**
     * The exception the JDK would have thrown for {@code errno}, which the handlers map to statuses and log lines.
     * Made without a stack trace: a name that is not there is an answer (404, the next {@code try_files} or
     * {@code index} candidate), and filling in the event loop's stack cost more than the look-up itself.
     */
    static FileSystemException failure(String name, int errno) {
        return switch (errno) {
            case 2 -> new Missing(name);
            case 13 -> new Denied(name);
            case 20 -> new Failed(name, "Not a directory"); // glibc's texts, which DocumentRoot reads back
            case 36 -> new Failed(name, "File name too long");
            case ELOOP_ERRNO -> new Failed(name, ELOOP);
            default -> new Failed(name, OsException.strerror(errno));
        };
    }

    /** ENOENT, without a stack trace. */
    private static final class Missing extends NoSuchFileException {
        private static final long serialVersionUID = 1L;

        Missing(String name) {
            super(name);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** EACCES, without a stack trace. */
    private static final class Denied extends AccessDeniedException {
        private static final long serialVersionUID = 1L;

        Denied(String name) {
            super(name);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Any other errno (its text is the reason, as the JDK's), without a stack trace. */
    private static final class Failed extends FileSystemException {
        private static final long serialVersionUID = 1L;

        Failed(String name, String reason) {
            super(name, null, reason);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Every component after {@code from} (all of them when {@code from} is not an initial part of the path). */
    private static void check(Path path, Symlinks symlinks) throws IOException {
        String p = path.toString();
        String from = symlinks.from();
        int start = !from.isEmpty() && p.startsWith(from) && (p.length() == from.length() || from.endsWith("/")
                || p.charAt(from.length()) == '/') ? from.length() : 0;
        if (start == p.length()) {
            return; // from= is the whole name: nothing to check
        }
        int i = p.indexOf('/', start + 1);
        while (true) {
            String component = i < 0 ? p : p.substring(0, i);
            if (component.length() > start && !component.isEmpty() && !component.equals("/")) {
                Path c = Path.of(component);
                if (Files.isSymbolicLink(c) && refused(c, symlinks.mode())) {
                    throw new FileSystemException(component, null, ELOOP);
                }
            }
            if (i < 0) {
                return;
            }
            i = p.indexOf('/', i + 1);
        }
    }

    private static boolean refused(Path link, FileIoConf.Symlinks mode) throws IOException {
        if (mode == FileIoConf.Symlinks.ON) {
            return true;
        }
        Object linkOwner = Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object targetOwner = Files.getAttribute(link, "unix:uid");
        return !linkOwner.equals(targetOwner);
    }
}
