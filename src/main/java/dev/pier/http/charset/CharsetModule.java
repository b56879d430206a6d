package dev.pier.http.charset;

import dev.pier.config.bind.CharsetConf;
import dev.pier.config.bind.LocationConf;
import dev.pier.http.HeaderFilter;
import dev.pier.http.HttpModule;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code charset UTF-8;}: every response of this location whose {@code Content-Type} is one of {@code charset_types}
 * and names no charset yet gets {@code ; charset=UTF-8} (static files, {@code return} text, error pages, proxied
 * responses alike, as nginx's filter sees them all). Recoding ({@code source_charset}, {@code charset_map}) is not
 * done.
 */
public final class CharsetModule implements HttpModule {
    @Override
    public Optional<HeaderFilter> headerFilter(LocationConf loc) {
        CharsetConf conf = loc.modules().get(CharsetConf.class);
        if (conf.charset().isEmpty()) {
            return Optional.empty();
        }
        String suffix = "; charset=" + conf.charset().get();
        return Optional.of((ex, status, headers) -> {
            String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || type.toLowerCase(Locale.ROOT).contains("charset=")) {
                return;
            }
            int semi = type.indexOf(';');
            String bare = (semi < 0 ? type : type.substring(0, semi)).trim();
            if (conf.applies(bare)) {
                replace(headers, type + suffix);
            }
        });
    }

    /** Replaces the value in place: nginx's header order stays (a plain {@code set} would move it to the end). */
    private static void replace(HttpHeaders headers, String value) {
        List<Map.Entry<String, String>> all = headers.entries();
        headers.clear();
        for (Map.Entry<String, String> e : all) {
            headers.add(e.getKey(), HttpHeaderNames.CONTENT_TYPE.contentEqualsIgnoreCase(e.getKey()) ? value
                    : e.getValue());
        }
    }
}
