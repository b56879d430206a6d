package dev.pier.http.gzip;

import dev.pier.config.bind.GzipConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.StaticConf;
import dev.pier.http.HeaderFilter;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;

import java.util.Optional;

/**
 * {@code gzip*} and {@code gzip_static}: the gzip header filter where {@code gzip on}, the {@code gzip_static}
 * content handler where it is not {@code off}. Listed before the static module so a .gz is found first.
 */
public final class GzipModule implements HttpModule {
    @Override
    public Optional<PhaseHandler> content(LocationConf loc) throws dev.pier.config.ConfigException {
        GzipConf conf = loc.modules().get(GzipConf.class);
        if (conf.gzipStatic() == GzipConf.Static.OFF) {
            return Optional.empty();
        }
        return Optional.of(new GzipStaticHandler(conf, loc.modules().get(StaticConf.class),
                dev.pier.http.staticfiles.StaticFileAccess.of(loc)));
    }

    @Override
    public Optional<HeaderFilter> headerFilter(LocationConf loc) {
        GzipConf conf = loc.modules().get(GzipConf.class);
        return conf.gzip() ? Optional.of(new GzipHeaderFilter(conf)) : Optional.empty();
    }
}
