package dev.pier.http.staticfiles;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.CoreLocConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code try_files FILE ... URI|@name|=CODE} (nginx's try-files phase, before content): the first FILE that exists
 * under root/alias (a directory when it ends in '/') becomes {@code $uri} and the location's content handlers serve
 * it; none: an internal redirect to URI or @name, or the error CODE. Must be listed before other content modules.
 */
public final class TryFilesModule implements HttpModule {

    @Override
    public Optional<PhaseHandler> content(LocationConf loc) throws ConfigException {
        List<String> args = loc.modules().get(CoreLocConf.class).tryFiles();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        List<Template> files = new ArrayList<>();
        for (String f : args.subList(0, args.size() - 1)) {
            files.add(Template.compile(f, loc.source()));
        }
        String last = args.getLast();
        Template fallback = last.startsWith("=") || last.startsWith("@") ? null : Template.compile(last, loc.source());
        DocumentRoot root = new DocumentRoot(loc.root());
        FileAccess access = FileAccess.of(loc);
        Template[] tries = files.toArray(Template[]::new);
        return Optional.of(ex -> {
            for (Template t : tries) {
                String name = t.render(ex);
                if (exists(root, access, ex, name)) {
                    ex.changeUri(name);
                    return PhaseResult.DECLINED;
                }
            }
            if (last.startsWith("=")) {
                return new PhaseResult.Fail(HttpError.forStatus(Integer.parseInt(last.substring(1))));
            }
            return new PhaseResult.InternalRedirect(fallback == null ? last : fallback.render(ex));
        });
    }

    /** nginx's try_files test: a refused symbolic link counts as missing (it logs, then tries the next). */
    private static boolean exists(DocumentRoot root, FileAccess access, Exchange ex, String name) {
        boolean dir = name.endsWith("/");
        Path p = StaticModule.map(root, ex, dir ? name.substring(0, name.length() - 1) : name);
        if (p == null) {
            return false;
        }
        try {
            OpenFile a = access.stat(ex, p);
            a.release();
            return dir ? a.isDirectory() : !a.isDirectory();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
