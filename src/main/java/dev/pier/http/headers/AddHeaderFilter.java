package dev.pier.http.headers;

import dev.pier.http.Exchange;
import dev.pier.http.HeaderFilter;
import dev.pier.http.HeaderValues;
import dev.pier.http.Template;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * Adds the configured headers to responses with status 200, 201, 204, 206, 301, 302, 303, 304, 307 or 308, or to any
 * status with {@code always}; a value that expands to the empty string adds nothing (nginx).
 */
final class AddHeaderFilter implements HeaderFilter {

    record Entry(AsciiString name, Template value, AsciiString constant, boolean always) {
        static Entry of(String name, Template value, boolean always) {
            AsciiString constant = value.isConstant() ? AsciiString.cached(value.text()) : null;
            return new Entry(AsciiString.cached(name), value, constant, always);
        }
    }

    private final Entry[] entries;

    AddHeaderFilter(List<Entry> entries) {
        this.entries = entries.toArray(Entry[]::new);
    }

    static boolean statusQualifies(int status) {
        return switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }

    @Override
    public void filter(Exchange ex, int status, HttpHeaders headers) {
        boolean qualifies = statusQualifies(status);
        for (Entry e : entries) {
            if (!qualifies && !e.always()) {
                continue;
            }
            if (e.constant() != null) {
                if (!e.constant().isEmpty()) {
                    headers.add(e.name(), e.constant());
                }
                continue;
            }
            String v = e.value().render(ex);
            if (!v.isEmpty()) {
                headers.add(e.name(), HeaderValues.sanitize(v));
            }
        }
    }
}
