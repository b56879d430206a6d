package dev.pier.http.staticfiles;

import dev.pier.config.ConfigException;
import dev.pier.http.Exchange;
import java.nio.file.Path;

import dev.pier.config.bind.LocationConf;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;

import java.util.Optional;

/** The content handler of last resort: {@code index} for URIs ending in '/', the file itself otherwise. */
public final class StaticModule implements HttpModule {
    @Override
    public Optional<PhaseHandler> content(LocationConf loc) throws ConfigException {
        DocumentRoot root = new DocumentRoot(loc.root());
        FileAccess access = FileAccess.of(loc);
        IndexHandler index = new IndexHandler(root, loc.index(),
                loc.modules().get(dev.pier.config.bind.AutoindexConf.class), access);
        StaticFileHandler file = new StaticFileHandler(root, access);
        return Optional.of(ex -> ex.uri().endsWith("/") ? index.handle(ex) : file.handle(ex));
    }

    /**
     * The file for {@code uri}: under {@code root}, or through the location's {@code alias}; {@code null} (404) when
     * it would leave them ({@link dev.pier.http.Location#mapUriToFile}).
     */
    static Path map(DocumentRoot root, Exchange ex, String uri) {
        if (!ex.location().hasAlias()) {
            return root.resolve(uri);
        }
        String p = ex.location().mapUriToFile(ex, uri);
        return p == null ? null : Path.of(p);
    }
}
