package dev.pier.http.charset;

import dev.pier.config.bind.CharsetConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.HeaderFilter;
import dev.pier.http.HttpModule;

import java.util.Optional;

/**
 * ngx_http_charset_module: names the charset in the {@code Content-Type} of this location's responses of
 * {@code charset_types} and recodes their bodies from {@code source_charset} (static files, {@code return} text,
 * error pages, proxied responses alike, as nginx's filter sees them all). See {@link CharsetFilter}.
 */
public final class CharsetModule implements HttpModule {
    @Override
    public Optional<HeaderFilter> headerFilter(LocationConf loc) {
        CharsetConf conf = loc.modules().get(CharsetConf.class);
        if (conf.charset().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CharsetFilter(conf));
    }
}
