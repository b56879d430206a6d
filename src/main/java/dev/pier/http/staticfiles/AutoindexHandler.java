package dev.pier.http.staticfiles;

import dev.pier.config.bind.AutoindexConf;
import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseResult;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's autoindex handler: for GET/HEAD of a directory without an index file, the listing of its entries (hidden
 * names skipped; an entry whose target is gone or loops is listed by the link itself; one that cannot be read is
 * skipped with a {@code [crit]} line). opendir failures map as nginx's: ENOENT/ENOTDIR → 404, EACCES → 403,
 * else 500.
 */
final class AutoindexHandler {
    private AutoindexHandler() {
    }

    /** Whether this request is one the listing answers (else the caller goes on to 403). */
    static boolean applies(Exchange ex, AutoindexConf conf) {
        HttpMethod m = ex.method();
        return conf.autoindex() && (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD));
    }

    static PhaseResult list(Exchange ex, Path dir, AutoindexConf conf) {
        List<AutoindexPage.Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes a = attributes(ex, p);
                if (a != null) {
                    entries.add(new AutoindexPage.Entry(name, a.isDirectory(),
                            a.lastModifiedTime().toInstant().getEpochSecond(), a.size()));
                }
            }
        } catch (FileSystemException e) {
            String line = "opendir() \"" + dir + "\" failed (" + DocumentRoot.errno(e) + ")" + ex.logContext();
            if (DocumentRoot.notFound(e)) {
                ex.log().error(line);
                return new PhaseResult.Fail(HttpError.NOT_FOUND);
            }
            if (e instanceof AccessDeniedException) {
                ex.log().error(line);
                return new PhaseResult.Fail(HttpError.FORBIDDEN);
            }
            ex.log().crit(line);
            return new PhaseResult.Fail(HttpError.INTERNAL);
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            ex.log().crit("readdir() \"" + dir + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            return new PhaseResult.Fail(HttpError.INTERNAL);
        }
        long gmtoff = conf.localtime()
                ? ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds() : 0;
        byte[] page = AutoindexPage.render(ex.uri(), entries, conf.exactSize(), gmtoff);
        ex.send(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(page));
        return PhaseResult.DONE;
    }

    /** The entry's target's attributes, the link's own when the target is gone, null to skip it. */
    private static BasicFileAttributes attributes(Exchange ex, Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            ex.log().crit("stat() \"" + p + "\" failed (13: Permission denied)" + ex.logContext());
            return null;
        } catch (IOException e) {
            try {
                return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException again) {
                return null; // removed while listing
            }
        }
    }
}
