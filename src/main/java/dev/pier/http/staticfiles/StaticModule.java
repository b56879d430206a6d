package dev.pier.http.staticfiles;

import dev.pier.config.bind.LocationConf;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;

import java.util.Optional;

/** The content handler of last resort: {@code index} for URIs ending in '/', the file itself otherwise. */
public final class StaticModule implements HttpModule {
    @Override
    public Optional<PhaseHandler> content(LocationConf loc) {
        DocumentRoot root = new DocumentRoot(loc.root());
        IndexHandler index = new IndexHandler(root, loc.index());
        StaticFileHandler file = new StaticFileHandler(root);
        return Optional.of(ex -> ex.uri().endsWith("/") ? index.handle(ex) : file.handle(ex));
    }
}
