package dev.pier.http.staticfiles;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.FileIoConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.Exchange;
import dev.pier.http.Template;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A location's way to files: its {@code disable_symlinks} policy ({@code from=} rendered per request, as it may
 * hold variables) and its {@code open_file_cache}.
 */
final class FileAccess {
    private final FileIoConf conf;
    private final Template from;

    private FileAccess(FileIoConf conf, Template from) {
        this.conf = conf;
        this.from = from;
    }

    static FileAccess of(LocationConf loc) throws ConfigException {
        FileIoConf conf = loc.modules().get(FileIoConf.class);
        Template from = conf.symlinksFrom().isEmpty() ? null : Template.compile(conf.symlinksFrom().get(),
                loc.source());
        return new FileAccess(conf, from);
    }

    FileOpener.Symlinks symlinks(Exchange ex) {
        if (conf.symlinks() == FileIoConf.Symlinks.OFF) {
            return FileOpener.Symlinks.OFF;
        }
        return new FileOpener.Symlinks(conf.symlinks(), from == null ? "" : from.render(ex));
    }

    /** The file, opened (a regular file) or only looked up (anything else); the caller owns one reference. */
    OpenFile open(Exchange ex, Path path) throws IOException {
        return OpenFileCache.open(OpenFileCache.of(conf), path, symlinks(ex));
    }

    /** Looks {@code path} up without opening it (index and try_files): the symlink policy, no cache. */
    OpenFile stat(Exchange ex, Path path) throws IOException {
        return FileOpener.open(path, symlinks(ex), false);
    }
}
