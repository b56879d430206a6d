package dev.pier.http.staticfiles;

import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx's index module for a URI ending in '/': the first {@code index} file that exists wins and the request is
 * internally redirected to it (so locations are matched again); an absolute index name is the fallback redirect.
 * None found: 403 "directory index ... is forbidden" if the directory exists, else 404.
 */
final class IndexHandler implements PhaseHandler {
    private final DocumentRoot root;
    private final String[] names;
    private final dev.pier.config.bind.AutoindexConf autoindex;

    private final FileAccess access;

    IndexHandler(DocumentRoot root, List<String> names, dev.pier.config.bind.AutoindexConf autoindex,
                 FileAccess access) {
        this.root = root;
        this.access = access;
        this.names = names.toArray(String[]::new);
        this.autoindex = autoindex;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        HttpMethod m = ex.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD) && !m.equals(HttpMethod.POST)) {
            return new PhaseResult.Fail(HttpError.NOT_ALLOWED);
        }
        String uri = ex.uri();
        for (String name : names) {
            if (name.startsWith("/")) {
                return new PhaseResult.InternalRedirect(name);
            }
            Path p = StaticModule.map(root, ex, uri + name);
            if (p == null) {
                return new PhaseResult.Fail(HttpError.NOT_FOUND);
            }
            try {
                access.stat(ex, p).release();
                return new PhaseResult.InternalRedirect(uri + name);
            } catch (NoSuchFileException e) {
                // try the next name
            } catch (AccessDeniedException e) {
                ex.log().error("\"" + p + "\" is forbidden (13: Permission denied)" + ex.logContext());
                return new PhaseResult.Fail(HttpError.FORBIDDEN);
            } catch (FileSystemException e) {
                if (DocumentRoot.forbidden(e)) {
                    ex.log().error("\"" + p + "\" is forbidden (" + DocumentRoot.errno(e) + ")" + ex.logContext());
                    return new PhaseResult.Fail(HttpError.FORBIDDEN);
                }
                if (!DocumentRoot.notFound(e)) {
                    return StaticFileHandler.openFailed(ex, p, e);
                }
                if (ex.location().core().logNotFound()) {
                    ex.log().error("\"" + p + "\" is not found (" + DocumentRoot.errno(e) + ")" + ex.logContext());
                }
                return new PhaseResult.Fail(HttpError.NOT_FOUND);
            } catch (java.io.IOException e) {
                return new PhaseResult.Fail(HttpError.INTERNAL);
            }
        }
        Path dir = StaticModule.map(root, ex, uri);
        if (dir != null && Files.isDirectory(dir)) {
            if (AutoindexHandler.applies(ex, autoindex)) {
                return AutoindexHandler.list(ex, dir, autoindex);
            }
            ex.log().error("directory index of \"" + root.prefix() + uri + "\" is forbidden" + ex.logContext());
            return new PhaseResult.Fail(HttpError.FORBIDDEN);
        }
        String first = names.length == 0 ? "" : names[0];
        if (!ex.location().core().logNotFound()) {
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        ex.log().error("\"" + root.prefix() + uri + first + "\" is not found (2: No such file or directory)"
                + ex.logContext());
        return new PhaseResult.Fail(HttpError.NOT_FOUND);
    }
}
