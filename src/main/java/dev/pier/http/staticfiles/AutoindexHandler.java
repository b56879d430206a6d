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

    /**
     * Opens the directory (failures answered here) and hands the listing to {@link AutoindexStream}; a HEAD request
     * gets the header only, without reading the directory, as nginx's {@code r->header_only}.
     */
    static PhaseResult list(Exchange ex, Path dir, AutoindexConf conf) {
        AutoindexFormat format;
        switch (conf.format()) {
            case XML -> format = AutoindexFormat.xml();
            case JSON -> format = AutoindexFormat.json(null);
            case JSONP -> {
                String callback = callback(ex);
                if (callback == null) {
                    return new PhaseResult.Fail(HttpError.BAD_REQUEST);
                }
                format = AutoindexFormat.json(callback.isEmpty() ? null : callback);
            }
            default -> format = AutoindexFormat.html(ex.uri(), conf.exactSize(), conf.localtime()
                    ? ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds() : 0);
        }
        DirectoryStream<Path> ds;
        try {
            ds = Files.newDirectoryStream(dir);
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
        } catch (IOException e) {
            ex.log().crit("opendir() \"" + dir + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            return new PhaseResult.Fail(HttpError.INTERNAL);
        }
        if (ex.isHead()) {
            try {
                ds.close();
            } catch (IOException ignored) {
                // nothing was read
            }
            ex.send(HttpResponseStatus.OK, format.contentType(), Unpooled.EMPTY_BUFFER);
            return PhaseResult.DONE;
        }
        AutoindexStream.start(ex, dir, ds, format);
        return PhaseResult.DONE;
    }

    /**
     * {@code $arg_callback} checked as nginx's {@code ngx_http_autoindex_jsonp_callback}: "" when absent (plain
     * json), null when invalid (400): longer than 128 or other than letters, digits, {@code _} and {@code .}.
     */
    static String callback(Exchange ex) {
        String cb = new io.netty.handler.codec.http.QueryStringDecoder("?" + ex.args(), false).parameters()
                .getOrDefault("callback", List.of("")).getFirst();
        if (cb.length() > 128) {
            ex.log().info("client sent too long callback name: \"" + cb + "\"" + ex.logContext());
            return null;
        }
        for (int i = 0; i < cb.length(); i++) {
            char c = cb.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.')) {
                ex.log().info("client sent invalid callback name: \"" + cb + "\"" + ex.logContext());
                return null;
            }
        }
        return cb;
    }

    /** One listed entry, or null to skip it. */
    static AutoindexPage.Entry entry(Exchange ex, Path p, String name) {
        BasicFileAttributes a = attributes(ex, p);
        return a == null ? null : new AutoindexPage.Entry(name.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                a.isDirectory(), a.isRegularFile(), a.lastModifiedTime().toInstant().getEpochSecond(), a.size());
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
