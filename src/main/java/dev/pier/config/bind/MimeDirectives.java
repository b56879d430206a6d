package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.block;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code types { type ext...; }} and {@code default_type}. A {@code types} block's lines are not directives: each
 * names a MIME type and its extensions (nginx's {@code ngx_http_core_type}); extensions are stored lower case and a
 * repeated one takes the later type (nginx warns).
 */
final class MimeDirectives {
    private MimeDirectives() {
    }

    /** nginx's built-in map when no level has a {@code types} block. */
    static final Map<String, String> DEFAULT_TYPES = Map.of("html", "text/html", "gif", "image/gif",
            "jpg", "image/jpeg");

    static final List<DirectiveSpec> SPECS = List.of(
            block("types", Arity.NOARGS, MimeDirectives::types, HTTP, SERVER, LOCATION),
            simple("default_type", Arity.TAKE1, Slots.string(s -> s.location().defaultType), HTTP, SERVER, LOCATION));

    private static void types(Directive d, Scope s) throws ConfigException {
        Map<String, String> types = s.location().typesForWrite();
        for (Directive line : d.children()) {
            if (line.isBlock()) {
                throw Errors.at(line, "unexpected \"{\"");
            }
            for (String ext : line.args()) {
                types.put(ext.toLowerCase(Locale.ROOT), line.name());
            }
        }
    }
}
