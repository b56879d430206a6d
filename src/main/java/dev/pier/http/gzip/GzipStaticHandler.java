package dev.pier.http.gzip;

import dev.pier.config.bind.GzipConf;
import dev.pier.config.bind.StaticConf;
import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.staticfiles.StaticFileAccess;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * nginx's {@code gzip_static} content handler: for GET/HEAD of a file URI, serves {@code FILE.gz} as it is, with
 * {@code Content-Encoding: gzip}, the Content-Type of FILE, and the .gz file's length, Last-Modified and ETag
 * (conditional requests apply; ranges do not, as nginx). {@code on} requires a client {@link GzipCheck} accepts;
 * {@code always} serves it to every client (for clients that decompress anyway, or with gunzip in front). A missing
 * .gz declines to the next handler; other failures are logged and decline too, as nginx does.
 */
final class GzipStaticHandler implements PhaseHandler {
    private static final HttpHeaders NO_RESPONSE_HEADERS = new DefaultHttpHeaders();

    private final GzipConf conf;
    private final StaticConf staticConf;
    private final StaticFileAccess access;

    GzipStaticHandler(GzipConf conf, StaticConf staticConf, StaticFileAccess access) {
        this.conf = conf;
        this.staticConf = staticConf;
        this.access = access;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        HttpMethod m = ex.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD) || ex.uri().endsWith("/")) {
            return PhaseResult.DECLINED;
        }
        boolean on = conf.gzipStatic() == GzipConf.Static.ON;
        boolean ok = !on || GzipCheck.ok(ex.request(), conf, NO_RESPONSE_HEADERS);
        if (!conf.vary() && !ok) {
            return PhaseResult.DECLINED;
        }
        String file = ex.location().mapUriToFile(ex, ex.uri());
        if (file == null || file.indexOf('\0') >= 0) {
            return PhaseResult.DECLINED;
        }
        Path path = Path.of(file + ".gz");
        StaticFileAccess.Opened gz;
        try {
            // ngx_open_cached_file with the location's open_file_cache and disable_symlinks, as the static handler
            gz = access.open(ex, path);
        } catch (FileSystemException e) {
            return failed(ex, path, e);
        } catch (IOException e) {
            ex.log().crit("open() \"" + path + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            return PhaseResult.DECLINED;
        }
        if (on) {
            if (conf.vary()) {
                // the .gz exists: whichever body goes out, it depended on Accept-Encoding
                ex.addHeader(GzipHeaderFilter.VARY, GzipHeaderFilter.ACCEPT_ENCODING);
            }
            if (!ok) {
                gz.release();
                return PhaseResult.DECLINED;
            }
        }
        if (gz.isDirectory()) {
            gz.release();
            return PhaseResult.DECLINED;
        }
        if (!gz.isRegularFile()) {
            gz.release();
            ex.log().crit("\"" + path + "\" is not a regular file" + ex.logContext());
            return new PhaseResult.Fail(HttpError.NOT_FOUND);
        }
        ex.addHeader(GzipHeaderFilter.CONTENT_ENCODING, GzipHeaderFilter.GZIP);
        return gz.send(ex, ex.location().contentType(ex.uri()), staticConf);
    }

    /**
     * ENOENT/ENOTDIR/ENAMETOOLONG decline quietly; EACCES and a link {@code disable_symlinks} refuses (ELOOP) are an
     * {@code [error]}, the rest {@code [crit]}; all decline, so the static handler answers for FILE itself.
     */
    private static PhaseResult failed(Exchange ex, Path path, FileSystemException e) {
        if (StaticFileAccess.notFound(e)) {
            return PhaseResult.DECLINED;
        }
        String line = "open() \"" + path + "\" failed (" + StaticFileAccess.errno(e) + ")" + ex.logContext();
        if (StaticFileAccess.forbidden(e)) {
            ex.log().error(line);
        } else {
            ex.log().crit(line);
        }
        return PhaseResult.DECLINED;
    }
}
