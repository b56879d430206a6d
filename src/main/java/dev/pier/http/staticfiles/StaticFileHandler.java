package dev.pier.http.staticfiles;

import dev.pier.config.bind.StaticConf;

import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * nginx's static handler: GET/HEAD (and POST, which finds the file and then gets 405); a directory answers 301 to
 * {@code uri/}; ENOENT/ENOTDIR → 404 ({@code [error]}, log_not_found), EACCES and a refused symbolic link
 * ({@code disable_symlinks}, ELOOP) → 403 ({@code [error]}), anything else → 500 ({@code [crit]}); the body goes
 * out zero-copy unless {@code sendfile off}. Opening runs on the event loop, as nginx does, through this loop's
 * {@code open_file_cache} when there is one.
 */
final class StaticFileHandler implements PhaseHandler {
    private final DocumentRoot root;
    private final FileAccess access;

    StaticFileHandler(DocumentRoot root, FileAccess access) {
        this.root = root;
        this.access = access;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        HttpMethod m = ex.method();
        boolean post = m.equals(HttpMethod.POST);
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD) && !post) {
            return new PhaseResult.Fail(HttpError.NOT_ALLOWED);
        }
        Path path = StaticModule.map(root, ex, ex.uri());
        if (path == null) {
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        OpenFile f;
        try {
            f = access.open(ex, path);
        } catch (FileSystemException e) {
            return openFailed(ex, path, e);
        } catch (IOException e) {
            ex.log().crit("open() \"" + path + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            return new PhaseResult.Fail(HttpError.INTERNAL);
        }
        if (f.isDirectory()) {
            f.release();
            String location = ex.uri() + "/" + (ex.args().isEmpty() ? "" : "?" + ex.args());
            ex.sendRedirect(301, location);
            return PhaseResult.DONE;
        }
        if (!f.isRegularFile()) {
            f.release();
            ex.log().crit("\"" + path + "\" is not a regular file" + ex.logContext());
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        if (post) {
            f.release();
            return new PhaseResult.Fail(HttpError.NOT_ALLOWED);
        }
        return FileResponse.send(ex, f, ex.location().contentType(ex.uri()),
                ex.location().conf().modules().get(StaticConf.class), true);
    }

    static PhaseResult openFailed(Exchange ex, Path path, FileSystemException e) {
        String line = "open() \"" + path + "\" failed (" + DocumentRoot.errno(e) + ")" + ex.logContext();
        if (DocumentRoot.notFound(e)) {
            if (ex.location().core().logNotFound()) {
                ex.log().error(line);
            }
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        if (DocumentRoot.forbidden(e)) {
            ex.log().error(line);
            return new PhaseResult.Fail(HttpError.FORBIDDEN);
        }
        ex.log().crit(line);
        return new PhaseResult.Fail(HttpError.INTERNAL);
    }
}
