package dev.pier.http.headers;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.AddHeader;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.HeaderFilter;
import dev.pier.http.HttpModule;
import dev.pier.http.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** nginx's {@code add_header} (ngx_http_headers_module); values are compiled templates. */
public final class HeadersModule implements HttpModule {
    @Override
    public Optional<HeaderFilter> headerFilter(LocationConf loc) throws ConfigException {
        if (loc.addHeaders().isEmpty()) {
            return Optional.empty();
        }
        List<AddHeaderFilter.Entry> entries = new ArrayList<>();
        for (AddHeader h : loc.addHeaders()) {
            entries.add(AddHeaderFilter.Entry.of(h.name(), Template.compile(h.value(), loc.source()), h.always()));
        }
        return Optional.of(new AddHeaderFilter(entries));
    }
}
