package dev.pier.http.staticfiles;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.StaticConf;
import dev.pier.http.Exchange;
import dev.pier.http.PhaseResult;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A location's way to files ({@link FileAccess}: {@code open_file_cache}, {@code disable_symlinks}) for another
 * module's content handler, as nginx's {@code gzip_static} opens {@code FILE.gz} with {@code ngx_open_cached_file}
 * and the location's settings.
 */
public final class StaticFileAccess {
    private final FileAccess access;

    private StaticFileAccess(FileAccess access) {
        this.access = access;
    }

    public static StaticFileAccess of(LocationConf loc) throws ConfigException {
        return new StaticFileAccess(FileAccess.of(loc));
    }

    /**
     * Opens {@code path} (a regular file) or looks it up (anything else); fails with the errno's exception, a link
     * {@code disable_symlinks} refuses with {@code ELOOP}. The caller sends or releases the result.
     */
    public Opened open(Exchange ex, Path path) throws IOException {
        return new Opened(access.open(ex, path));
    }

    /** nginx's errno text of a failed open, {@code 40: Too many levels of symbolic links} for a refused link. */
    public static String errno(FileSystemException e) {
        return DocumentRoot.errno(e);
    }

    /** ENOENT, ENOTDIR, ENAMETOOLONG: not found, which nginx's handlers decline quietly. */
    public static boolean notFound(FileSystemException e) {
        return DocumentRoot.notFound(e);
    }

    /** EACCES or a refused link: logged at {@code error} (others at {@code crit}). */
    public static boolean forbidden(FileSystemException e) {
        return DocumentRoot.forbidden(e);
    }

    /** A looked-up file holding one reference on a (possibly cached) descriptor. */
    public static final class Opened {
        private final OpenFile file;

        private Opened(OpenFile file) {
            this.file = file;
        }

        public boolean isDirectory() {
            return file.isDirectory();
        }

        public boolean isRegularFile() {
            return file.isRegularFile();
        }

        public void release() {
            file.release();
        }

        /** The conditional file response without ranges (as nginx's {@code gzip_static}); releases the file. */
        public PhaseResult send(Exchange ex, CharSequence type, StaticConf conf) {
            return FileResponse.send(ex, file, type, conf, false);
        }
    }
}
