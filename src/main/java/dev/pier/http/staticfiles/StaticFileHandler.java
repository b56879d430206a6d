package dev.pier.http.staticfiles;

import dev.pier.config.bind.StaticConf;

import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * nginx's static handler: GET/HEAD (and POST, which finds the file and then gets 405); a directory answers 301 to
 * {@code uri/}; ENOENT/ENOTDIR → 404 ({@code [error]}, log_not_found), EACCES → 403 ({@code [error]}), anything else
 * → 500 ({@code [crit]}); the body goes out zero-copy. Opening runs on the event loop, as nginx does.
 */
final class StaticFileHandler implements PhaseHandler {
    private final DocumentRoot root;

    StaticFileHandler(DocumentRoot root) {
        this.root = root;
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
        BasicFileAttributes attrs;
        FileChannel fc;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                String location = ex.uri() + "/" + (ex.args().isEmpty() ? "" : "?" + ex.args());
                ex.sendRedirect(301, location);
                return PhaseResult.DONE;
            }
            if (!attrs.isRegularFile()) {
                ex.log().crit("\"" + path + "\" is not a regular file" + ex.logContext());
                return new PhaseResult.Fail(HttpError.NOT_FOUND);
            }
            if (post) {
                return new PhaseResult.Fail(HttpError.NOT_ALLOWED);
            }
            fc = FileChannel.open(path, StandardOpenOption.READ);
        } catch (FileSystemException e) {
            return openFailed(ex, path, e);
        } catch (IOException e) {
            ex.log().crit("open() \"" + path + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            return new PhaseResult.Fail(HttpError.INTERNAL);
        }
        return FileResponse.send(ex, fc, attrs.size(), attrs.lastModifiedTime().toMillis(),
                ex.location().contentType(ex.uri()), ex.location().conf().modules().get(StaticConf.class));
    }

    static PhaseResult openFailed(Exchange ex, Path path, FileSystemException e) {
        String line = "open() \"" + path + "\" failed (" + DocumentRoot.errno(e) + ")" + ex.logContext();
        if (DocumentRoot.notFound(e)) {
            if (ex.location().core().logNotFound()) {
                ex.log().error(line);
            }
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        if (e instanceof AccessDeniedException) {
            ex.log().error(line);
            return new PhaseResult.Fail(HttpError.FORBIDDEN);
        }
        ex.log().crit(line);
        return new PhaseResult.Fail(HttpError.INTERNAL);
    }
}
